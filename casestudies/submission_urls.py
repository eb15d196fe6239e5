from django.urls import path

from casestudies import submission_views

app_name = "submissions"

urlpatterns = [
    path("new/", submission_views.submission_new, name="new"),
    path("<int:pk>/", submission_views.submission_edit, name="edit"),
    path("<int:pk>/preview/", submission_views.submission_preview, name="preview"),
    path("<int:pk>/withdraw/", submission_views.submission_withdraw_view, name="withdraw"),
]
