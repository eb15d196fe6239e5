"""Moderation's addresses, in four groups that the site's urls.py mounts:
officers' submissions, curators' review, the two public links beside a case
study, and the documents (served only through the permission check)."""

from django.urls import path

from moderation.views import review, submission

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
    path("new/", submission.submission_new, name="new"),
    path("<int:pk>/", submission.submission_edit, name="edit"),
    path("<int:pk>/preview/", submission.submission_preview, name="preview"),
    path("<int:pk>/withdraw/", submission.submission_withdraw_view, name="withdraw"),
    path("<int:pk>/propose-edit/", submission.propose_edit, name="propose-edit"),
    path("<int:pk>/attachments/", submission.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/delete/", submission.attachment_delete, name="attachment-delete"),
    path("edits/<int:pk>/", submission.proposed_edit, name="proposed-edit"),
    path("edits/<int:pk>/withdraw/", submission.proposed_edit_withdraw, name="proposed-edit-withdraw"),
]

# Under /case-studies/, beside the published page.
case_study_patterns = [
    path("still-accurate/<str:token>/", review.still_accurate, name="still-accurate"),
    path("<slug:slug>/adopted/", submission.report_adoption, name="report-adoption"),
]

attachment_patterns = [
    path("attachments/<int:pk>/", submission.attachment_download, name="attachment"),
]
