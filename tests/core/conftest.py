import pytest
from django.db import connection

from tests.conftest import _forget_task_backends
from tests.core.worker_process import TEST_LEASE_SECONDS, WorkerProcess, database_url, worker_environment


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _forget_task_backends()
    yield
    _forget_task_backends()


@pytest.fixture
def shared_database(transactional_db, database_queue) -> str:
    """A database this test and a worker process both use, as a DATABASE_URL.

    Every write is committed (transactional_db), so the worker sees them: the test
    database itself, on SQLite a file in WAL mode as on PostgreSQL a server."""
    yield database_url(connection.settings_dict)


@pytest.fixture
def start_worker(shared_database, smtp_server, tmp_path, settings):
    """Start `manage.py run_worker` processes on the shared database, sending
    through the loopback SMTP server, with a lease of TEST_LEASE_SECONDS (here
    too, for /healthz); every one is stopped after the test."""
    settings.WORKER_LEASE_SECONDS = TEST_LEASE_SECONDS
    started: list[WorkerProcess] = []

    def start(*arguments: str, **env: str) -> WorkerProcess:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        worker = WorkerProcess(
            log, worker_environment(tmp_path, shared_database, smtp_server, **env), *arguments
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
