from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running task worker (`manage.py run_worker`), touched every
    quarter of WORKER_LEASE_SECONDS. A worker whose row is older than the lease
    is gone: its tasks may be run again, and /healthz says the worker is stale."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host} (pid {self.pid})"


class SentEmail(models.Model):
    """An email the worker has handed to the mail server, under the key of the
    task that sent it, so that the same task run again (retried, or reclaimed
    from a worker that died) never sends it twice."""

    key = models.CharField(max_length=64, primary_key=True)
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Email {self.key} sent at {self.sent_at:%Y-%m-%d %H:%M}"
