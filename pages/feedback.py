"""Feedback from anyone, signed in or not, to the curators' mailbox."""

from django import forms
from django.conf import settings

from core.limits import Limit
from core.tasks import send_email

# The curators' mailbox is not a relay: a few messages an hour from one client.
FEEDBACK_LIMIT = Limit("feedback", count=5, seconds=3600)


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
