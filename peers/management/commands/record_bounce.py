from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from peers.contact import record_bounce


class Command(BaseCommand):
    help = (
        "Record that email to a case study contact bounced: messages to that address from the last "
        "30 days, and all future ones, go to the curators to forward."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", help="The addresses that bounced.")
        parser.add_argument("--detail", default="", help="What the bounce said, for the record.")

    def handle(self, *args, emails, detail, **options):
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an email address; nothing was recorded.") from None
        total = 0
        for email in emails:
            rerouted = record_bounce(email, detail=detail)
            total += rerouted
            self.stdout.write(f"{email}: {rerouted} recent messages re-sent to the curators")
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {len(emails)} bounced addresses; {total} messages re-routed.")
        )
