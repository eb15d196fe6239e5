from django.apps import AppConfig

from councils import converters


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Council register"

    def ready(self) -> None:
        # Before any urls module is read: they use <council_code:...>.
        converters.register()
