from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_tables(sender, using="default", **kwargs) -> None:
    from casestudies.search import ensure_sqlite_tables

    ensure_sqlite_tables(using)


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self) -> None:
        # After every migrate (and every flush, which sends the same signal).
        post_migrate.connect(_ensure_search_tables, sender=self)
