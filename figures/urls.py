from django.urls import path

from figures import views

app_name = "figures"

urlpatterns = [
    path("", views.figures_page, name="page"),
    path("<slug:slug>.csv", views.figure_download, name="csv"),
]
