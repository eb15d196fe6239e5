from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Site pages: home, about, accessibility, health."""

    name = "pages"
