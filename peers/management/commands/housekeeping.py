"""The site's scheduled work. Run it daily (cron or a systemd timer); running it
more often, or on several machines at once, sends nothing twice."""

from django.core.management.base import BaseCommand

from peers import alerts, contact
from peers.models import Frequency


class Command(BaseCommand):
    help = "Send 'did you get a reply?' follow-ups and due alerts, and delete old message contents."

    def handle(self, *args, **options):
        self.stdout.write("Asking senders whether the team replied...")
        follow_ups = contact.send_follow_ups()
        self.stdout.write("Deleting the contents of messages older than 90 days...")
        deleted = contact.delete_old_contents()
        self.stdout.write("Sending alerts...")
        weekly_emails, weekly_studies = alerts.send_alerts(Frequency.WEEKLY)
        immediate_emails, immediate_studies = alerts.send_alerts(Frequency.IMMEDIATE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {follow_ups} follow-up emails queued; contents of {deleted} messages deleted; "
                f"{weekly_emails} weekly alerts ({weekly_studies} case studies) and {immediate_emails} "
                f"immediate alerts ({immediate_studies} case studies) queued."
            )
        )
