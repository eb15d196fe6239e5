from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Open data: the API, CSV, feeds, sitemap and the interchange format."""

    name = "opendata"
