"""The worker outlives the database: this stops the throwaway PostgreSQL that
`make test` started (tests/run_suites.py) under a running worker, starts it
again, and checks the worker is still there and sends what is queued next."""

import os
import shlex
import subprocess

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from werkzeug.test import Client

from core.models import WorkerHeartbeat
from core.tasks import send_email
from showcase.wsgi import application
from tests.core.worker_process import wait_until

PG_CTL = os.environ.get("SHOWCASE_PG_CTL")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pg_ctl(*args: str) -> None:
    command = [*shlex.split(PG_CTL), "-D", os.environ["SHOWCASE_PG_DATA"], *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=60)


def needs_a_cluster_to_stop() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite is a file in this process, with no server to stop")
    if not PG_CTL:
        if IN_CI:
            pytest.fail("Under CI=true this must run: start it through tests/run_suites.py (make test)")
        pytest.skip("needs the throwaway PostgreSQL that `make test` starts (SHOWCASE_PG_CTL)")


def test_the_worker_rides_out_a_database_outage_and_sends_what_is_queued_after(start_worker, smtp_server):
    needs_a_cluster_to_stop()
    # Through the WSGI handler, which, unlike the test client, closes broken connections.
    client = Client(application)
    worker = start_worker()
    assert wait_until(lambda: WorkerHeartbeat.objects.exists())
    assert client.get("https://localhost/healthz").json == {"status": "ok", "database": "ok", "worker": "ok"}

    connection.close()
    pg_ctl("-m", "immediate", "-w", "stop")
    try:
        during = client.get("https://localhost/healthz")
        assert worker.wait_for_log("cannot reach the database", count=3)
        assert worker.alive
    finally:
        pg_ctl("-o", os.environ["SHOWCASE_PG_OPTIONS"], "-l", os.environ["SHOWCASE_PG_LOG"], "-w", "start")

    assert during.status_code == 503
    assert during.json == {"status": "error", "database": "unreachable", "worker": "unknown"}
    said = during.get_data(as_text=True)
    assert connection.settings_dict["HOST"] not in said and str(connection.settings_dict["PORT"]) not in said

    assert worker.wait_for_log("reaches the database again")
    connection.close()
    queued = send_email.enqueue(
        to=["jo@southhams.gov.uk"], template="sign_in_link", context={"url": "u", "minutes": 15}
    )
    assert len(smtp_server.wait_for(1)) == 1
    assert wait_until(lambda: DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL")
    assert worker.alive
    assert wait_until(lambda: client.get("https://localhost/healthz").json["worker"] == "ok")
