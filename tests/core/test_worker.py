"""Email waits in the database queue until a worker runs, then goes out once."""

import io

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command

from core.tasks import send_email
from tests.conftest import _forget_task_backends


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _forget_task_backends()
    yield
    _forget_task_backends()


def run_worker() -> None:
    call_command(
        "db_worker",
        batch=True,
        no_startup_delay=True,
        reload=False,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


@pytest.mark.django_db(transaction=True)
def test_email_waits_for_the_worker_and_is_sent_once(database_queue):
    from django_tasks_db.models import DBTaskResult

    send_email.enqueue(
        to=["jo@southhams.gov.uk"], template="sign_in_link", context={"url": "u", "minutes": 15}
    )

    assert len(mail.outbox) == 0  # no worker yet: nothing is lost, nothing is sent
    assert DBTaskResult.objects.count() == 1

    for _ in range(2):  # a second worker run must find nothing left to send
        call_command(
            "db_worker",
            batch=True,
            no_startup_delay=True,
            reload=False,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jo@southhams.gov.uk"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_failing_email_is_retried_then_recorded_never_lost(database_queue, settings, monkeypatch, caplog):
    from django_tasks_db.models import DBTaskResult

    settings.TASK_RETRY_DELAYS = [0, 0]
    failures = {"left": 2}
    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("SMTP server not answering")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    send_email.enqueue(
        to=["jo@southhams.gov.uk"], template="sign_in_link", context={"url": "u", "minutes": 15}
    )

    for _ in range(3):
        run_worker()

    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]  # every attempt is on record
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_failing_is_given_up_loudly(database_queue, settings, monkeypatch, caplog):
    from django_tasks_db.models import DBTaskResult

    settings.TASK_RETRY_DELAYS = [0]
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("down")))
    send_email.enqueue(
        to=["jo@southhams.gov.uk"], template="sign_in_link", context={"url": "u", "minutes": 15}
    )

    for _ in range(3):
        run_worker()

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "FAILED"]
    assert "failed 2 times and will not be tried again" in caplog.text
    assert mail.outbox == []
