from django.contrib import admin
from django.urls import include, path

from showcase import views

admin.site.site_header = "Showcase curation"
admin.site.site_title = "Showcase curation"
admin.site.index_title = "Curate councils, case studies and vocabularies"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("case-studies/", include("casestudies.urls")),
    path("councils/", include("councils.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "showcase.views.page_not_found"
handler500 = "showcase.views.server_error"
