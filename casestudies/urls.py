from django.urls import path

from casestudies import exports, feeds, submission_views, views

app_name = "casestudies"

urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("export.csv", exports.case_study_csv, name="export-csv"),
    path("export/", views.export_page, name="export"),
    path("feed.atom", feeds.SearchFeed(), name="feed-search"),
    path("still-accurate/<str:token>/", views.still_accurate, name="still-accurate"),
    path("<slug:slug>/adopted/", submission_views.report_adoption, name="report-adoption"),
    path("<slug:slug>/", views.case_study_detail, name="detail"),
]
