from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """Search over case studies by words and by meaning, on PostgreSQL and SQLite."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from search import (
            meaning_receivers,  # noqa: F401 - and those keeping vectors and vocabulary
            receivers,  # noqa: F401 - connects the re-indexing receivers
        )
        from search.backends.sqlite import tables_after_migrate

        # After every migrate (and every flush, which sends the same signal).
        post_migrate.connect(tables_after_migrate, sender=self)
