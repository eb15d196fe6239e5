from django.conf import settings
from django.db import models
from django.utils import timezone

from casestudies.models import CaseStudy
from councils.models import Council

CONTENT_RETENTION_DAYS = 90


class Purpose(models.TextChoices):
    CALL = "call", "A call with the team"
    DOCUMENTS = "documents", "Documents, such as the business case"
    VISIT = "visit", "A visit to see it working"
    QUESTION = "question", "An answer to a general question"


class Route(models.TextChoices):
    TEAM = "team", "The team's contact"
    CURATORS = "curators", "The curators, to forward"


class ContactRequest(models.Model):
    """A message from an officer to the team behind a case study. The subject
    and message are deleted after CONTENT_RETENTION_DAYS; the rest is kept so
    that curators can count requests and answers."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="contact_requests")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="contact_requests"
    )
    sender_name = models.CharField(max_length=150)
    sender_role = models.CharField(max_length=150)
    sender_council = models.ForeignKey(Council, null=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    subject = models.CharField(max_length=150, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    route = models.CharField(max_length=10, choices=Route.choices, default=Route.TEAM)
    route_reason = models.CharField(max_length=200, blank=True)
    relayed_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    got_reply = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    contents_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Contact about {self.case_study} ({self.created_at:%Y-%m-%d})"


class BouncedAddress(models.Model):
    """A contact address that mail could not reach; messages for it go to the curators."""

    email = models.EmailField(unique=True)
    bounced_at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "bounced addresses"

    def __str__(self) -> str:
        return self.email


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as one is published"
    WEEKLY = "weekly", "Once a week"


class Follow(models.Model):
    """An officer following a search (query and filters), a reform type or a theme."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    query = models.CharField(max_length=1000, help_text="The search, as a query string.")
    label = models.CharField(max_length=300, help_text="What the officer follows, in words.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="one_follow_per_search")]

    def __str__(self) -> str:
        return self.label


class AlertDelivery(models.Model):
    """A case study sent to a follower: never sent to the same follow twice."""

    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="deliveries")
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follow", "case_study"], name="alert_once")]

    def __str__(self) -> str:
        return f"{self.case_study} to {self.follow}"
