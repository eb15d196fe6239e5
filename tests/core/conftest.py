import sqlite3

import pytest
from django.db import connection, connections

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
def shared_database(transactional_db, database_queue, django_db_blocker, tmp_path) -> str:
    """A database this test and a worker process both use, as a DATABASE_URL.

    Every write is committed (transactional_db). PostgreSQL: the test
    database itself. SQLite: the test database is copied to a file of the test's
    own, which stands in as the default database until the test ends, so that
    what the worker writes leaves the suite's database as it was."""
    if connection.vendor != "sqlite":
        yield database_url(connection.settings_dict)
        return
    path = tmp_path / "shared.sqlite3"
    with django_db_blocker.unblock():
        in_memory = connections["default"]
        in_memory.ensure_connection()
        with sqlite3.connect(path) as copy:
            in_memory.connection.backup(copy)
        copy.close()
        on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, alias="default")
        connections["default"] = on_file
        try:
            yield database_url(on_file.settings_dict)
        finally:
            on_file.close()
            connections["default"] = in_memory


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
