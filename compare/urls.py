from django.urls import path

from compare import views

app_name = "compare"

urlpatterns = [
    path("", views.comparison, name="comparison"),
    path("compare.csv", views.comparison_csv, name="csv"),
    path("selection/", views.selection, name="selection"),
    path("add/", views.add, name="add"),
    path("remove/", views.remove, name="remove"),
]
