from django.core.management.base import BaseCommand, CommandError

from councils.register import RegisterError, import_aliases, import_register, read_text


class Command(BaseCommand):
    help = (
        "Import or update councils from mySociety's register CSV "
        "(uk_local_authorities_current.csv), from a file path or a URL. "
        "Safe to run again: councils are matched by register code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", metavar="PATH_OR_URL")
        parser.add_argument(
            "--aliases",
            metavar="PATH_OR_URL",
            help="Also read other spellings of council names (lookup_name_to_registry.csv format).",
        )

    def handle(self, *args, source: str, aliases: str | None, **options) -> None:
        try:
            text = read_text(source)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {source}: {error}") from error
        self.stdout.write(f"Reading councils from {source}")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done} of {total} councils written")

        try:
            summary = import_register(text, progress=progress)
        except RegisterError as error:
            raise CommandError(
                f"{source} was not imported; nothing was written. Problems:\n  " + "\n  ".join(error.problems)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Councils: {len(summary.created)} created, {len(summary.updated)} updated, "
                f"{len(summary.unchanged)} unchanged; {summary.aliases_added} new aliases."
            )
        )
        if summary.updated:
            self.stdout.write("Updated: " + ", ".join(summary.updated[:50]))
        if aliases:
            try:
                added, unknown = import_aliases(read_text(aliases))
            except (OSError, ValueError) as error:
                raise CommandError(f"Could not read {aliases}: {error}") from error
            except RegisterError as error:
                raise CommandError("Aliases not imported: " + "; ".join(error.problems)) from error
            self.stdout.write(self.style.SUCCESS(f"Aliases: {added} added from {aliases}."))
            if unknown:
                self.stdout.write(
                    f"Left alone {len(unknown)} codes not in the register: {', '.join(unknown[:20])}"
                )
