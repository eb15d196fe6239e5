"""Every room's addresses, mounted in one place. The only module of the project
package that imports the apps."""

from django.contrib import admin
from django.urls import include, path

from browse import urls as browse_urls
from core.admin_login import limit_failed_logins
from moderation import urls as moderation_urls
from opendata import urls as opendata_urls

admin.site.site_header = "Showcase curation"
admin.site.site_title = "Showcase curation"
admin.site.index_title = "Curate councils, case studies and vocabularies"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("peers.urls")),
    # Fixed addresses under /case-studies/ come before the case study pages' <slug>.
    path("case-studies/", include((opendata_urls.case_study_patterns, "opendata"))),
    path("case-studies/", include((moderation_urls.case_study_patterns, "moderation"))),
    path("case-studies/", include((browse_urls.case_study_patterns, "casestudies"))),
    path("councils/", include((browse_urls.council_patterns, "councils"))),
    path("", include(opendata_urls.site_patterns)),
    path("api/v1/", include((opendata_urls.api_patterns, "api"))),
    path("", include("accounts.urls")),
    path("compare/", include("compare.urls")),
    path("figures/", include("figures.urls")),
    path("map/", include("maps.urls")),
    # Public pages at /collections/ and curators' at /review/collections/, before moderation's /review/.
    path("", include("curated.urls")),
    path("submissions/", include((moderation_urls.submission_patterns, "submissions"))),
    path("review/", include((moderation_urls.review_patterns, "review"))),
    path("", include(moderation_urls.attachment_patterns)),
    # Before the admin's own URLs, so that its sign-in page is always the limited one.
    path("admin/login/", limit_failed_logins(admin.site)),
    path("admin/", admin.site.urls),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
