from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and generated shelves for benchmarks."""

    name = "demo"
