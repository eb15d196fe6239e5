from django.apps import AppConfig


class CuratedConfig(AppConfig):
    """Curated collections: named, ordered sets of case studies with a curator's
    note on each, drafted and published by curators, followed by officers."""

    name = "curated"
    verbose_name = "Collections"
    default_auto_field = "django.db.models.BigAutoField"
