"""A message the page says was sent is delivered: a subject that could not be
an email header (a carriage return, a form feed, a Unicode line separator) is
refused by the form, naming the field, and the worker never builds a header
from text nobody checked."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from peers.contact import relay_contact
from peers.models import ContactRequest, Purpose, Route
from tests.conftest import _forget_task_backends
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.peers.test_contact import SECRET, send

pytestmark = pytest.mark.django_db(transaction=True)

LINE_BREAKS = ["\r", "\x0b", "\x0c", "\u2028", "\x85"]


@pytest.fixture
def study(db):
    return CaseStudyFactory(title="Shared revenues service", contact_email=SECRET, lead=CouncilFactory())


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")


@pytest.fixture
def worker_queue(settings):
    """Tasks wait in the database until the worker runs, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_subject_with_a_line_break_is_refused_naming_the_field(
    client, study, officer, worker_queue, line_break
):
    response = send(client, study, officer, subject=f"Your shared{line_break}revenues service")
    run_worker()

    assert response.status_code == 400
    html = response.content.decode()
    assert "Subject must be on one line: remove the line break" in html
    assert 'href="#id_subject"' in html
    assert not ContactRequest.objects.exists() and mail.outbox == []


def test_a_subject_with_an_escape_code_is_refused_naming_the_field(client, study, officer, worker_queue):
    response = send(client, study, officer, subject="Your shared \x1b[31mrevenues service")

    assert response.status_code == 400
    assert "Subject contains an invisible control character (U+001B)" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_a_subject_the_form_accepts_is_delivered_by_the_worker(client, study, officer, worker_queue):
    response = send(client, study, officer, subject="Your shared revenues service")
    assert mail.outbox == []

    run_worker()

    assert "Your message was sent" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[SECRET]]
    assert mail.outbox[0].subject == "Showcase: Your shared revenues service"
    assert ContactRequest.objects.get().relayed_at is not None


def test_a_message_stored_before_subjects_were_checked_is_still_delivered(study, officer, worker_queue):
    # Accepted by the form as it was, and waiting in the queue when the check arrived.
    waiting = ContactRequest.objects.create(
        case_study=study,
        sender=officer,
        sender_name="Al Jones",
        sender_role="Revenues Manager",
        sender_council=officer.council,
        purpose=Purpose.CALL,
        subject="Your shared\r\x0brevenues\u2028service",
        message="We are planning to share revenues with a neighbour and would value a call.",
        route=Route.TEAM,
    )
    relay_contact.enqueue(request_id=waiting.pk)

    run_worker()

    assert [message.subject for message in mail.outbox] == ["Showcase: Your shared revenues service"]
    waiting.refresh_from_db()
    assert waiting.relayed_at is not None
