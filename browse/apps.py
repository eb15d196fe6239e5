from django.apps import AppConfig


class BrowseConfig(AppConfig):
    """Browsing the shelves: the lists, filters and facets, case study and council pages."""

    name = "browse"

    def ready(self) -> None:
        from browse import receivers  # noqa: F401 - connects the receivers that keep the figures
