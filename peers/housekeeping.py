"""Peers' part of the scheduled work (see core.housekeeping)."""

from django.dispatch import receiver

from core.housekeeping import housekeeping_due
from peers import alerts, contact
from peers.models import CONTENT_RETENTION_DAYS, Frequency


@receiver(housekeeping_due, dispatch_uid="peers-housekeeping")
def peers_housekeeping(sender, now, **kwargs) -> str:
    follow_ups = contact.send_follow_ups(now)
    deleted = contact.delete_old_contents(now)
    weekly_emails, weekly_studies = alerts.send_alerts(Frequency.WEEKLY, now)
    immediate_emails, immediate_studies = alerts.send_alerts(Frequency.IMMEDIATE, now)
    return (
        f"{follow_ups} follow-up emails queued; contents of {deleted} messages deleted (kept "
        f"{CONTENT_RETENTION_DAYS} days); {weekly_emails} weekly alerts ({weekly_studies} case "
        f"studies) and {immediate_emails} immediate alerts ({immediate_studies} case studies) queued"
    )
