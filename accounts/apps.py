from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Officers' accounts"

    def ready(self) -> None:
        from accounts import housekeeping  # noqa: F401 - connects its part of the scheduled work
