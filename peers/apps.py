from django.apps import AppConfig


class PeersConfig(AppConfig):
    """Routes between peers: contacting the team behind a reform, and following
    searches by email. Its own room because it holds officers' messages, with
    their own limits and retention."""

    name = "peers"
    verbose_name = "Contact and alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casestudies.signals import published
        from peers import alerts

        published.connect(alerts.on_published, dispatch_uid="peers-alerts")
        from peers import housekeeping  # noqa: F401 - connects its part of the scheduled work
