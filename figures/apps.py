from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """The shelves in figures: savings, years, status, evidence and councils,
    drawn as server-rendered SVG charts with their data as tables and CSV."""

    name = "figures"
    verbose_name = "Figures"
    default_auto_field = "django.db.models.BigAutoField"
