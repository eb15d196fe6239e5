from django.urls import path

from casestudies import submission_views

app_name = "submissions"

urlpatterns = [
    path("new/", submission_views.submission_new, name="new"),
    path("<int:pk>/", submission_views.submission_edit, name="edit"),
    path("<int:pk>/preview/", submission_views.submission_preview, name="preview"),
    path("<int:pk>/withdraw/", submission_views.submission_withdraw_view, name="withdraw"),
    path("<int:pk>/propose-edit/", submission_views.propose_edit, name="propose-edit"),
    path("<int:pk>/attachments/", submission_views.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/delete/", submission_views.attachment_delete, name="attachment-delete"),
    path("edits/<int:pk>/", submission_views.proposed_edit, name="proposed-edit"),
    path("edits/<int:pk>/withdraw/", submission_views.proposed_edit_withdraw, name="proposed-edit-withdraw"),
]
