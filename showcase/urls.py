from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from casestudies import api as casestudies_api
from casestudies import feeds, submission_views
from councils import api as councils_api
from showcase import api, views
from showcase.sitemaps import SITEMAPS

api_patterns = [
    path("", api.api_root, name="root"),
    path("case-studies/", casestudies_api.CaseStudyList.as_view(), name="case-study-list"),
    path("case-studies/<slug:slug>/", casestudies_api.CaseStudyDetail.as_view(), name="case-study-detail"),
    path("councils/", councils_api.CouncilList.as_view(), name="council-list"),
    path("councils/<str:code>/", councils_api.CouncilDetail.as_view(), name="council-detail"),
    path("reform-types/", casestudies_api.ReformTypeList.as_view(), name="reform-type-list"),
    path("themes/", casestudies_api.ThemeList.as_view(), name="theme-list"),
]

admin.site.site_header = "Showcase curation"
admin.site.site_title = "Showcase curation"
admin.site.index_title = "Curate councils, case studies and vocabularies"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("peers.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("feeds/case-studies.atom", feeds.CaseStudyFeed(), name="feed-all"),
    path("feeds/reform-types/<slug:slug>.atom", feeds.ReformTypeFeed(), name="feed-reform-type"),
    path("feeds/themes/<slug:slug>.atom", feeds.ThemeFeed(), name="feed-theme"),
    path("feeds/councils/<str:code>.atom", feeds.CouncilFeed(), name="feed-council"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("councils/", include("councils.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", views.api_docs, name="api-docs"),
    path("api/explorer/", views.api_explorer, name="api-explorer"),
    path("", include("accounts.urls")),
    path("submissions/", include("casestudies.submission_urls")),
    path("review/", include("casestudies.review_urls")),
    path("attachments/<int:pk>/", submission_views.attachment_download, name="attachment"),
    path("admin/", admin.site.urls),
]

handler404 = "showcase.views.page_not_found"
handler500 = "showcase.views.server_error"
