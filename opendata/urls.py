from django.contrib.sitemaps.views import sitemap
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from opendata import api, api_root, collection_data, council_api, exports, feeds, views
from opendata.sitemaps import SITEMAPS

api_patterns = [
    path("", api_root.api_root, name="root"),
    path("case-studies/", api.CaseStudyList.as_view(), name="case-study-list"),
    path("case-studies/<slug:slug>/", api.CaseStudyDetail.as_view(), name="case-study-detail"),
    path("councils/", council_api.CouncilList.as_view(), name="council-list"),
    path("councils/<council_code:code>/", council_api.CouncilDetail.as_view(), name="council-detail"),
    path("reform-types/", api.ReformTypeList.as_view(), name="reform-type-list"),
    path("themes/", api.ThemeList.as_view(), name="theme-list"),
    path("collections/", collection_data.CollectionList.as_view(), name="collection-list"),
    path("collections/<slug:slug>/", collection_data.CollectionDetail.as_view(), name="collection-detail"),
]

# Under /case-studies/, beside the list they export.
case_study_patterns = [
    path("export.csv", exports.case_study_csv, name="export-csv"),
    path("export/", views.export_page, name="export"),
    path("feed.atom", feeds.SearchFeed(), name="feed-search"),
]

# Named without a namespace, as they were first published.
site_patterns = [
    path("feeds/case-studies.atom", feeds.CaseStudyFeed(), name="feed-all"),
    path("feeds/reform-types/<slug:slug>.atom", feeds.ReformTypeFeed(), name="feed-reform-type"),
    path("feeds/themes/<slug:slug>.atom", feeds.ThemeFeed(), name="feed-theme"),
    path("feeds/councils/<council_code:code>.atom", feeds.CouncilFeed(), name="feed-council"),
    path("collections/<slug:slug>/feed.atom", collection_data.CollectionFeed(), name="feed-collection"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", views.api_docs, name="api-docs"),
    path("api/explorer/", views.api_explorer, name="api-explorer"),
]
