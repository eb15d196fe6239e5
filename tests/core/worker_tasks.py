"""Tasks that exist only for the worker's tests."""

from django.tasks import task

from core.models import WorkerHeartbeat


@task()
def count_heartbeats() -> int:
    """How many workers have a heartbeat while this one runs a task."""
    return WorkerHeartbeat.objects.count()
