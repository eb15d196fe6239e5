from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every room uses: tasks with retry, signed links, pagination,
    middleware, and the shared cache's table."""

    name = "core"
    verbose_name = "Site-wide pieces"

    def ready(self) -> None:
        from core.housekeeping import forget_sent_emails, housekeeping_due

        housekeeping_due.connect(forget_sent_emails, dispatch_uid="core-housekeeping")
