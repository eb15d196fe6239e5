from django.apps import AppConfig


class BrowseConfig(AppConfig):
    """Browsing the shelves: the lists, filters and facets, case study and council pages."""

    name = "browse"
