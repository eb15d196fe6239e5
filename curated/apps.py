from django.apps import AppConfig


class CuratedConfig(AppConfig):
    """Curated collections: named, ordered sets of case studies with a curator's
    note on each, drafted and published by curators, followed by officers."""

    name = "curated"
    verbose_name = "Collections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casestudies.apps import watch_the_shelves
        from curated import models

        # Collections are on public pages (their own, the home page, the sitemap,
        # the API): any change to one replaces the shelf version, so no cached copy survives it.
        watch_the_shelves(models.Collection, models.CollectionItem)
