from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("", views.council_directory, name="directory"),
    path("<str:code>/", views.council_detail, name="detail"),
]
