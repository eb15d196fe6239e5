"""The records moderation keeps: the history of every change of state, proposed
edits to published case studies, and the documents behind them.

These tables were made by ``casestudies`` migrations before moderation had its
own room, so the models keep the ``casestudies`` app label (and their table
names); their migrations stay in ``casestudies/migrations``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casestudies.models import Adoption, CaseStudy, PublicationState


class Action(models.TextChoices):
    """What happened to a case study, for its history and the emails it sends."""

    SUBMITTED = "submitted", "Submitted for review"
    WITHDRAWN = "withdrawn", "Withdrawn by the author"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    PUBLISHED = "published", "Published"
    FEATURED = "featured", "Featured"
    UNFEATURED = "unfeatured", "No longer featured"
    EVIDENCE_VERIFIED = "evidence_verified", "Evidence verified"
    ARCHIVED = "archived", "Archived"
    RESTORED = "restored", "Restored from the archive"
    EDIT_PROPOSED = "edit_proposed", "Edit proposed"
    EDIT_WITHDRAWN = "edit_withdrawn", "Proposed edit withdrawn"
    EDIT_CHANGES_REQUESTED = "edit_changes_requested", "Changes requested to a proposed edit"
    EDIT_REJECTED = "edit_rejected", "Proposed edit rejected"
    EDIT_ACCEPTED = "edit_accepted", "Proposed edit accepted"
    ADOPTION_REPORTED = "adoption_reported", "Adoption reported"
    ADOPTION_APPROVED = "adoption_approved", "Adoption approved"
    ADOPTION_REJECTED = "adoption_rejected", "Adoption rejected"
    ADOPTION_WITHDRAWN = "adoption_withdrawn", "Adoption withdrawn"
    CHECK_SENT = "check_sent", "Asked the contact whether it is still accurate"
    CONFIRMED = "confirmed", "Confirmed still accurate"


class ProposedEditState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ProposedEdit(models.Model):
    """A change to a published case study, waiting for a curator. The published
    version stays live and unchanged until a curator accepts it.

    ``data`` is what the form posted (field name to list of values), so the
    curator reviews, edits and applies exactly what the officer typed."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="proposed_edits")
    data = models.JSONField()
    state = models.CharField(
        max_length=20, choices=ProposedEditState.choices, default=ProposedEditState.SUBMITTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposed_edits"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(default=timezone.now)
    # The case study's version when the edit was proposed.
    base_version = models.PositiveIntegerField(default=1)

    OPEN = (ProposedEditState.SUBMITTED, ProposedEditState.CHANGES_REQUESTED)

    class Meta:
        app_label = "casestudies"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"Edit to {self.case_study}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class StateChange(models.Model):
    """One entry in a case study's history: who did what, when, and why."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="history")
    proposed_edit = models.ForeignKey(
        ProposedEdit, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    adoption = models.ForeignKey(
        Adoption, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        app_label = "casestudies"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.case_study}"

    @property
    def from_label(self) -> str:
        return PublicationState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return PublicationState(self.to_state).label if self.to_state else ""


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the name the officer gave is kept for downloads.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A business case, evaluation or other document behind a case study."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=40, help_text="What the content says the file is, like 'PDF'.")
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "casestudies"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("attachment", kwargs={"pk": self.pk})
