"""A real worker process (`manage.py run_worker`, production settings) sending
through a real SMTP server on the loopback interface: email goes out once, a
refusal is retried and then given up loudly, and a worker killed in the middle
of sending has its task taken back after the lease, so the email arrives once.
/healthz sees the worker's heartbeat, and notices when it stops."""

import re

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.models import SentEmail, WorkerHeartbeat
from core.tasks import send_email
from councils.models import EmailDomain
from peers.contact import relay_contact
from peers.models import ContactRequest, Route
from tests.core.worker_process import TEST_LEASE_SECONDS, wait_until
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.helpers import HttpsClient


def queue_email(to: str = "jo@southhams.gov.uk"):
    return send_email.enqueue(to=[to], template="sign_in_link", context={"url": "u", "minutes": 15})


def status_of(task_result) -> str:
    return DBTaskResult.objects.get(pk=task_result.id).status


def test_a_real_worker_sends_a_queued_sign_in_link_through_smtp(start_worker, smtp_server):
    EmailDomain.objects.create(council=CouncilFactory(name="South Hams"), domain="southhams.gov.uk")
    response = HttpsClient().post(reverse("accounts:sign-in"), {"email": "jo@southhams.gov.uk"})
    assert response.status_code == 200
    assert smtp_server.received == []  # queued, not sent inside the request
    queued = DBTaskResult.objects.get()

    start_worker()

    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ["jo@southhams.gov.uk"]
    assert received.message["Subject"] == "Your link to sign in to Showcase"
    link = re.search(r"https://testserver(/sign-in/\S+)", received.message.get_content()).group(1)
    assert HttpsClient().post(link).status_code == 302  # the emailed link signs in
    assert received.message["Message-ID"].startswith(f"<{queued.id}@")
    assert wait_until(lambda: status_of(queued) == "SUCCESSFUL")
    assert SentEmail.objects.filter(key=str(queued.id)).exists()


def test_a_real_worker_relays_a_contact_message_with_reply_to_the_sender(start_worker, smtp_server):
    study = CaseStudyFactory(title="Shared revenues service", contact_email="robin@teignbridge.example")
    officer = officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")
    message = ContactRequest.objects.create(
        case_study=study,
        sender=officer,
        sender_name="Al Jones",
        sender_role="Revenues Manager",
        sender_council=officer.council,
        purpose="call",
        subject="Your shared revenues service",
        message="We are planning to share revenues and would value a call.",
        route=Route.TEAM,
    )
    relay_contact.enqueue(request_id=message.pk)

    start_worker()

    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ["robin@teignbridge.example"]
    assert received.message["Reply-To"] == "al@middevon.gov.uk"
    assert "would value a call" in received.message.get_content()
    assert wait_until(lambda: ContactRequest.objects.get(pk=message.pk).relayed_at is not None)


def test_a_refused_email_is_retried_and_then_arrives_once(start_worker, smtp_server):
    smtp_server.refuse(times=1, answer="451 4.3.0 Try again later")
    queued = queue_email()

    worker = start_worker()

    assert len(smtp_server.wait_for(1)) == 1
    assert wait_until(
        lambda: sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    )
    assert status_of(queued) == "FAILED"  # the first attempt, on record
    assert worker.wait_for_log("trying again in 0s")
    assert "451" in worker.log
    assert len(smtp_server.received) == 1


def test_a_dropped_connection_is_retried_and_the_email_arrives_once(start_worker, smtp_server):
    smtp_server.disconnect(times=1)
    queue_email()

    start_worker()

    assert len(smtp_server.wait_for(1)) == 1
    assert wait_until(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1)
    assert len(smtp_server.received) == 1


def test_an_email_refused_every_time_is_given_up_and_logged(start_worker, smtp_server):
    smtp_server.refuse(times=100, answer="550 5.1.1 No such mailbox here")
    queue_email("nobody@southhams.gov.uk")

    worker = start_worker()

    assert worker.wait_for_log("failed 2 times and will not be tried again")
    assert "550" in worker.log
    assert wait_until(
        lambda: list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "FAILED"]
    )
    assert smtp_server.received == []
    assert worker.alive  # a refused email is the task's failure, never the worker's


def test_a_worker_killed_in_the_middle_of_sending_has_its_task_taken_back_and_sent_once(
    start_worker, smtp_server
):
    smtp_server.stall()
    queued = queue_email()
    first = start_worker()
    assert smtp_server.wait_until_stalled()
    assert status_of(queued) == "RUNNING"

    first.kill()
    smtp_server.release()
    assert status_of(queued) == "RUNNING"  # nothing tidied up after it
    second = start_worker()

    assert second.wait_for_log("queued again", timeout=TEST_LEASE_SECONDS * 5)
    assert len(smtp_server.wait_for(1)) == 1
    assert wait_until(lambda: status_of(queued) == "SUCCESSFUL")
    task = DBTaskResult.objects.get(pk=queued.id)
    assert len(task.worker_ids) == 2  # claimed by the worker that died, then by the second
    assert not wait_until(lambda: len(smtp_server.received) > 1, timeout=1)


def test_healthz_sees_a_running_worker_and_notices_when_it_dies(start_worker):
    client = HttpsClient()
    assert client.get("/healthz").json()["worker"] == "stale"

    worker = start_worker()
    assert wait_until(lambda: WorkerHeartbeat.objects.exists())
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["worker"] == "ok"

    worker.kill()
    assert wait_until(
        lambda: client.get("/healthz").json()["worker"] == "stale", timeout=TEST_LEASE_SECONDS * 3
    )
    assert client.get("/healthz").status_code == 200  # the web server still serves pages
