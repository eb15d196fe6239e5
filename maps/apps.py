from django.apps import AppConfig


class MapsConfig(AppConfig):
    """The map of councils behind case studies, drawn from the register's
    coordinates with nothing fetched from outside the site, beside an accessible list."""

    name = "maps"
    verbose_name = "Map"
    default_auto_field = "django.db.models.BigAutoField"
