from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("", views.council_map, name="map"),
]
