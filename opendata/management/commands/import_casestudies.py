import json

from django.core.management.base import BaseCommand, CommandError

from opendata.interchange import InterchangeError, import_case_studies


class Command(BaseCommand):
    help = (
        "Import case studies from the JSON interchange format. Every record is "
        "checked first; one bad record means nothing is written. Records whose "
        "slug exists are updated. Imported records are published."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file: str, **options) -> None:
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                "nothing was written."
            ) from error
        self.stdout.write(f"Checking {file}")

        def progress(done: int, total: int) -> None:
            if done % 100 == 0 or done == total:
                self.stdout.write(f"  {done} of {total} case studies written")

        try:
            summary = import_case_studies(data, progress=progress)
        except InterchangeError as error:
            raise CommandError(
                f"{file} was not imported; nothing was written. "
                f"{len(error.errors)} problem(s):\n  " + "\n  ".join(str(e) for e in error.errors)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Case studies: {len(summary.created)} created, {len(summary.updated)} updated, "
                f"{len(summary.unchanged)} unchanged."
            )
        )
