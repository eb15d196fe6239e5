"""Email waits in the database queue until a worker runs, then goes out once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from showcase.tasks import send_email
from tests.conftest import _forget_task_backends


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _forget_task_backends()
    yield
    _forget_task_backends()


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
