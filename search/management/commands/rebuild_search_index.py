import time

from django.core.management.base import BaseCommand

from search.index import index_case_studies


class Command(BaseCommand):
    help = (
        "Rebuild the search index and the spelling-suggestion word list for every case study; "
        "the worker then embeds them again for search by meaning (or run rebuild_vectors)."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        self.stdout.write("Rebuilding the search index...")
        count = index_case_studies()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} case studies in {time.monotonic() - started:.1f} s.")
        )
