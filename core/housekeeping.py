"""The site's scheduled work, gathered from every room without core knowing them.

`manage.py housekeeping` sends ``housekeeping_due``; each room that keeps
something on a schedule (peers: follow-ups, alerts, message contents; accounts:
old sign-in links; core: records of sent email) connects a receiver that does
its part and returns one line saying what it did. Every part must be safe to run
twice, or on several machines at once."""

import datetime

from django.dispatch import Signal
from django.utils import timezone

from core.models import SentEmail

# Sent with sender="housekeeping" and now=<the time to act as of>; each receiver
# returns a sentence for the summary.
housekeeping_due = Signal()

SENT_EMAIL_DAYS = 30


def forget_sent_emails(sender, now: datetime.datetime, **kwargs) -> str:
    """A record of a sent email only guards against sending it twice, which a
    retry can do for minutes, not months."""
    deleted, _ = SentEmail.objects.filter(sent_at__lt=now - datetime.timedelta(days=SENT_EMAIL_DAYS)).delete()
    return f"{deleted} records of emails sent over {SENT_EMAIL_DAYS} days ago deleted"


def run_housekeeping(now: datetime.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    return [str(answer) for _, answer in housekeeping_due.send(sender="housekeeping", now=now)]
