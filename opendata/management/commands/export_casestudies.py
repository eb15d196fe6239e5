import contextlib
import json

from django.core.management.base import BaseCommand

from casestudies.models import CaseStudy
from opendata.interchange import export_records


class Command(BaseCommand):
    help = (
        "Export published case studies in the JSON interchange format (the format "
        "import_casestudies reads). Includes contact emails: keep the file private."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, output: str | None, **options) -> None:
        total = CaseStudy.objects.published().count()
        target = open(output, "w", encoding="utf-8") if output else contextlib.nullcontext()  # noqa: SIM115
        with target as file:

            def write(text: str) -> None:
                if file is None:
                    self.stdout.write(text, ending="")
                else:
                    file.write(text)

            # Written record by record so memory stays flat however many there are.
            write('{"case_studies": [')
            for index, record in enumerate(export_records()):
                write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
                if (index + 1) % 500 == 0:
                    self.stderr.write(f"  {index + 1} of {total} written")
            write("\n]}\n")
        self.stderr.write(
            self.style.SUCCESS(f"Exported {total} case studies to {output or 'standard output'}.")
        )
