from django.urls import path

from browse import council_views, views

case_study_patterns = [
    path("", views.case_study_list, name="list"),
    path("<slug:slug>/", views.case_study_detail, name="detail"),
]

council_patterns = [
    path("", council_views.council_directory, name="directory"),
    path("mine/", council_views.choose_my_council, name="choose-mine"),
    path("autocomplete.json", council_views.council_autocomplete, name="autocomplete"),
    path("<council_code:code>/", council_views.council_detail, name="detail"),
]
