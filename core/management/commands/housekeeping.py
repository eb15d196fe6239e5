"""The site's scheduled work. Run it daily (cron or a systemd timer); running it
more often, or on several machines at once, does nothing twice."""

from django.core.management.base import BaseCommand

from core.housekeeping import run_housekeeping


class Command(BaseCommand):
    help = (
        "Do every room's scheduled work: 'did you get a reply?' follow-ups and due alerts, deleting "
        "old message contents, old sign-in links and old records of sent email."
    )

    def handle(self, *args, **options):
        self.stdout.write("Housekeeping...")
        done = run_housekeeping()
        for line in done:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Done: {len(done)} parts."))
