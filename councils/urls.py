from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("", views.council_directory, name="directory"),
    path("mine/", views.choose_my_council, name="choose-mine"),
    path("autocomplete.json", views.council_autocomplete, name="autocomplete"),
    path("<str:code>/", views.council_detail, name="detail"),
]
