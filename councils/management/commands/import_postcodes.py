from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.postcodes import BATCH_SIZE, PROGRESS_EVERY, PostcodeFileError, import_postcodes


class Command(BaseCommand):
    help = (
        "Load ONS's postcode directory (ONSPD, the unzipped CSV of any size) so the council "
        "directory finds a council by postcode. Replaces the previous load, all or nothing; "
        "terminated postcodes are left out. Import the councils first (import_councils)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path)
        parser.add_argument(
            "--progress-every",
            type=int,
            default=PROGRESS_EVERY,
            metavar="ROWS",
            help=f"Report progress on stderr every ROWS rows (default {PROGRESS_EVERY:,}).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            metavar="ROWS",
            help=f"Write this many postcodes at a time (default {BATCH_SIZE:,}).",
        )

    def handle(self, *args, file: Path, progress_every: int, batch_size: int, **options) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file {file}")
        self.stderr.write(f"Reading postcodes from {file}")

        def progress(rows: int, share: float) -> None:
            self.stderr.write(f"  {rows:,} rows read ({share:.0%} of the file)")

        try:
            summary = import_postcodes(
                file, progress=progress, progress_every=progress_every, batch_size=max(batch_size, 1)
            )
        except PostcodeFileError as error:
            raise CommandError(f"{file} was not loaded; nothing was changed: {error}") from error
        except OSError as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Rows read: {summary.rows_read:,}. Postcodes loaded: {summary.loaded:,}. "
                f"Skipped as terminated: {summary.terminated:,}. "
                f"With a council code not in the register: {summary.unknown:,}."
            )
        )
        if summary.unknown_codes:
            common = ", ".join(f"{code} ({count:,})" for code, count in summary.unknown_codes.most_common(20))
            self.stdout.write(f"Council codes not in the register: {common}")
