from django.apps import AppConfig


class CompareConfig(AppConfig):
    """Comparing two to four case studies side by side: the selection an officer
    carries between pages, the aligned table, its print view and CSV."""

    name = "compare"
    verbose_name = "Compare"
    default_auto_field = "django.db.models.BigAutoField"
