from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every room uses: tasks with retry, signed links, pagination,
    middleware, and the shared cache's table."""

    name = "core"
    verbose_name = "Site-wide pieces"
