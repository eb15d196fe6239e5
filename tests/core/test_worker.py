"""The worker (`manage.py run_worker`) in this process: email waits in the
database queue until a worker runs, then goes out once, even when the task runs
again; a task left running by a worker that died goes back to the queue; the
worker waits out database errors instead of dying."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import worker as worker_module
from core.models import SentEmail, WorkerHeartbeat
from core.tasks import send_email
from core.worker import ResilientWorker, reclaim_abandoned_tasks
from tests.core.worker_tasks import count_heartbeats

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command(
        "run_worker",
        batch=True,
        no_startup_delay=True,
        reload=False,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def queue_sign_in_email():
    return send_email.enqueue(
        to=["jo@southhams.gov.uk"], template="sign_in_link", context={"url": "u", "minutes": 15}
    )


def left_running(task_result, *, by: list[str], seconds_ago: int) -> DBTaskResult:
    """The task as a worker leaves it when it dies in the middle of running it."""
    DBTaskResult.objects.filter(pk=task_result.id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago), worker_ids=by
    )
    return DBTaskResult.objects.get(pk=task_result.id)


def test_email_waits_for_the_worker_and_is_sent_once(database_queue):
    queue_sign_in_email()

    assert len(mail.outbox) == 0  # no worker yet: nothing is lost, nothing is sent
    assert DBTaskResult.objects.count() == 1

    for _ in range(2):  # a second worker run must find nothing left to send
        run_worker()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jo@southhams.gov.uk"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_email_is_retried_then_recorded_never_lost(database_queue, settings, monkeypatch):
    settings.TASK_RETRY_DELAYS = [0, 0]
    failures = {"left": 2}
    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("SMTP server not answering")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    queue_sign_in_email()

    for _ in range(3):
        run_worker()

    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]  # every attempt is on record
    assert len(mail.outbox) == 1


def test_a_task_that_keeps_failing_is_given_up_loudly(database_queue, settings, monkeypatch, caplog):
    settings.TASK_RETRY_DELAYS = [0]
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("down")))
    queue_sign_in_email()

    for _ in range(3):
        run_worker()

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "FAILED"]
    assert "failed 2 times and will not be tried again" in caplog.text
    assert mail.outbox == []


def test_an_email_task_run_again_does_not_send_again(database_queue):
    queued = queue_sign_in_email()
    run_worker()
    # As if the worker had died after sending, before it recorded the task as done.
    DBTaskResult.objects.filter(pk=queued.id).update(status="READY")

    run_worker()

    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key=queued.id).exists()
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<{queued.id}@")


def test_every_attempt_at_one_email_has_the_same_message_id(database_queue, settings, monkeypatch):
    settings.TASK_RETRY_DELAYS = [0]
    sent_ids = []
    real_send = EmailMessage.send

    def refuse_the_first(self, *args, **kwargs):
        sent_ids.append(self.extra_headers["Message-ID"])
        if len(sent_ids) == 1:
            raise ConnectionRefusedError("SMTP server not answering")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_the_first)
    queue_sign_in_email()

    for _ in range(2):
        run_worker()

    assert len(sent_ids) == 2 and sent_ids[0] == sent_ids[1]
    assert len(mail.outbox) == 1


def test_a_task_left_running_by_a_dead_worker_is_queued_again(database_queue, settings, caplog):
    settings.WORKER_LEASE_SECONDS = 60
    task = left_running(queue_sign_in_email(), by=["died-mid-task"], seconds_ago=61)

    assert reclaim_abandoned_tasks() == 1

    task.refresh_from_db()
    assert task.status == "READY"
    assert "left running by worker died-mid-task" in caplog.text
    run_worker()
    assert len(mail.outbox) == 1


def test_a_task_within_its_lease_is_left_alone(database_queue, settings):
    settings.WORKER_LEASE_SECONDS = 60
    task = left_running(queue_sign_in_email(), by=["maybe-slow"], seconds_ago=30)

    assert reclaim_abandoned_tasks() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_long_task_on_a_worker_that_still_beats_is_left_alone(database_queue, settings):
    settings.WORKER_LEASE_SECONDS = 60
    task = left_running(queue_sign_in_email(), by=["busy"], seconds_ago=600)
    WorkerHeartbeat.objects.create(worker_id="busy", started_at=timezone.now(), beat_at=timezone.now())

    assert reclaim_abandoned_tasks() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_that_keeps_losing_its_workers_is_failed_loudly(database_queue, settings, caplog):
    settings.WORKER_LEASE_SECONDS = 60
    task = left_running(queue_sign_in_email(), by=["one", "two", "three"], seconds_ago=61)

    assert reclaim_abandoned_tasks() == 0

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "core.worker.WorkerLost"
    assert "stopped 3 workers in turn" in caplog.text


def test_the_worker_beats_while_it_runs_a_task_and_clears_its_heartbeat_when_it_stops(database_queue):
    queued = count_heartbeats.enqueue()

    run_worker()

    assert DBTaskResult.objects.get(pk=queued.id).return_value == 1
    assert WorkerHeartbeat.objects.count() == 0


def test_the_worker_waits_out_database_errors_and_carries_on(database_queue, monkeypatch, caplog):
    monkeypatch.setattr(worker_module, "FIRST_BACKOFF_SECONDS", 0.01)
    errors = {"left": 2}
    real_claim = ResilientWorker.claim_next

    def claim_while_the_database_blips(self):
        if errors["left"]:
            errors["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_claim(self)

    monkeypatch.setattr(ResilientWorker, "claim_next", claim_while_the_database_blips)
    queue_sign_in_email()

    with caplog.at_level(logging.INFO, logger="core.worker"):
        run_worker()

    assert len(mail.outbox) == 1
    assert "cannot reach the database (attempt 2)" in caplog.text
    assert "reaches the database again" in caplog.text


def test_a_task_that_ends_while_the_database_is_away_is_recorded_when_it_returns(
    database_queue, monkeypatch, caplog
):
    monkeypatch.setattr(worker_module, "FIRST_BACKOFF_SECONDS", 0.01)
    errors = {"left": 4}  # more than django_tasks_db's own three tries
    real_save = DBTaskResult.save

    def save_while_the_database_blips(self, *args, **kwargs):
        if self.status == "SUCCESSFUL" and errors["left"]:
            errors["left"] -= 1
            raise OperationalError("could not connect to server")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(DBTaskResult, "save", save_while_the_database_blips)
    monkeypatch.setattr("django_tasks_db.utils.time.sleep", lambda seconds: None)  # the library's own retries
    queued = queue_sign_in_email()

    with caplog.at_level(logging.INFO, logger="core.worker"):
        run_worker()

    assert DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert "cannot reach the database (attempt 1)" in caplog.text
