from django.urls import path

from casestudies import review_views

app_name = "review"

urlpatterns = [
    path("", review_views.queue, name="queue"),
    path("case-studies/<int:pk>/", review_views.case_study, name="case-study"),
    path("case-studies/<int:pk>/<slug:action>/", review_views.case_study_action, name="case-study-action"),
    path("adoptions/<int:pk>/", review_views.adoption, name="adoption"),
    path("adoptions/<int:pk>/<slug:action>/", review_views.adoption_action, name="adoption-action"),
    path("edits/<int:pk>/", review_views.proposed_edit, name="edit"),
    path("edits/<int:pk>/<slug:action>/", review_views.proposed_edit_action, name="edit-action"),
]
