import time

from django.core.management.base import BaseCommand

from search.vector_tasks import rebuild_vectors

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Embed every published case study again for search by meaning (after rebuild_search_index, "
        "or when the embedding model changes), showing progress."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        count = rebuild_vectors(progress=self.progress)
        if self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Embedded {count} case studies in {time.monotonic() - started:.1f} s.")
        )

    def progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"[{bar}] {done:,} of {total:,} case studies"
        if self.stdout.isatty():
            self.stdout.write(f"\r{line}", ending="")
        else:
            self.stdout.write(line)
        self.stdout.flush()
