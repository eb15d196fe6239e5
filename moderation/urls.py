"""Moderation's addresses, in four groups that the site's urls.py mounts:
officers' submissions, curators' review, the two public links beside a case
study, and the documents (served only through the permission check)."""

from django.urls import path

from moderation.views import drafting, review, submission

review_patterns = [
    path("", review.queue, name="queue"),
    path("case-studies/<int:pk>/", review.case_study, name="case-study"),
    path("case-studies/<int:pk>/<slug:action>/", review.case_study_action, name="case-study-action"),
    path("adoptions/<int:pk>/", review.adoption, name="adoption"),
    path("adoptions/<int:pk>/<slug:action>/", review.adoption_action, name="adoption-action"),
    path("edits/<int:pk>/", review.proposed_edit, name="edit"),
    path("edits/<int:pk>/<slug:action>/", review.proposed_edit_action, name="edit-action"),
]

submission_patterns = [
    # The task list, for a new case study and for one begun; its topics; checking and submitting.
    path("new/", drafting.submission_new, name="new"),
    path("new/about/", drafting.submission_start, name="start"),
    path("<int:pk>/", drafting.submission_edit, name="edit"),
    path("<int:pk>/check/", drafting.submission_check, name="check"),
    path("<int:pk>/preview/", submission.submission_preview, name="preview"),
    path("<int:pk>/withdraw/", submission.submission_withdraw_view, name="withdraw"),
    path("<int:pk>/propose-edit/", submission.propose_edit, name="propose-edit"),
    path("<int:pk>/attachments/", submission.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/delete/", submission.attachment_delete, name="attachment-delete"),
    path("edits/<int:pk>/", submission.proposed_edit, name="proposed-edit"),
    path("edits/<int:pk>/withdraw/", submission.proposed_edit_withdraw, name="proposed-edit-withdraw"),
    # Last, so that the fixed addresses above (preview, check, withdraw ...) come first.
    path("<int:pk>/<slug:topic>/", drafting.submission_topic, name="topic"),
]

# Under /case-studies/, beside the published page.
case_study_patterns = [
    path("still-accurate/<str:token>/", review.still_accurate, name="still-accurate"),
    path("<slug:slug>/adopted/", submission.report_adoption, name="report-adoption"),
]

attachment_patterns = [
    path("attachments/<int:pk>/", submission.attachment_download, name="attachment"),
]
