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
        self._watch_the_shelves()

    def _watch_the_shelves(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from casestudies import models
        from casestudies.freshness import shelves_changed
        from councils.models import Council

        for model in [models.CaseStudy, models.CaseStudyCouncil, models.Adoption, models.ReformType,
                      models.Theme, models.Link, models.Attachment, Council]:  # fmt: skip
            post_save.connect(shelves_changed, sender=model, dispatch_uid=f"shelves-save-{model.__name__}")
            post_delete.connect(
                shelves_changed, sender=model, dispatch_uid=f"shelves-delete-{model.__name__}"
            )
        for through in [models.CaseStudy.reform_types.through, models.CaseStudy.themes.through]:
            m2m_changed.connect(
                shelves_changed, sender=through, dispatch_uid=f"shelves-m2m-{through.__name__}"
            )
