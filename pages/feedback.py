"""Feedback from anyone, signed in or not, to the curators' mailbox."""

import datetime

from django import forms
from django.conf import settings
from django.core.cache import cache

from core.tasks import send_email

FEEDBACK_PER_CLIENT_PER_HOUR = 5


class FeedbackForm(forms.Form):
    doing = forms.CharField(
        label="What were you trying to do?",
        max_length=500,
        error_messages={"required": "Enter what you were trying to do"},
    )
    feedback = forms.CharField(
        label="What went well, or what went wrong?",
        max_length=3000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what went well or what went wrong"},
    )
    email = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        max_length=254,
        help_text="Only if you would like a reply. It goes to the curators and nowhere else.",
        error_messages={"invalid": "Enter an email address in the right format, like name@council.gov.uk"},
    )
    # Left empty by people; filled in by some robots.
    website = forms.CharField(required=False, label="Leave this empty")


def feedback_allowed(client: str) -> bool:
    """At most a few messages an hour from one client: the curators' mailbox is not a relay."""
    key = f"feedback:{client}:{datetime.datetime.now(datetime.UTC):%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) <= FEEDBACK_PER_CLIENT_PER_HOUR


def feedback_send(*, cleaned: dict, page: str) -> None:
    if cleaned.get("website"):
        return  # a robot: say thank you, send nothing
    email = cleaned.get("email", "")
    send_email.enqueue(
        to=[settings.CURATORS_EMAIL],
        template="feedback",
        context={"doing": cleaned["doing"], "feedback": cleaned["feedback"], "email": email, "page": page},
        reply_to=[email] if email else None,
    )
