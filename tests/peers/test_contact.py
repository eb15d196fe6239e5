"""Contacting the team: relayed by the worker, replies go to the sender, the
contact's address never leaks, limits hold, bounces fall back to curators,
follow-ups count answers, and contents go after 90 days."""

import datetime
import io
import json
import re
import smtplib

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, MembershipStatus
from peers import contact
from peers.models import BouncedAddress, ContactRequest, Route
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of

pytestmark = pytest.mark.django_db
SECRET = "robin.secret@teignbridge.example"


@pytest.fixture
def study(db):
    return CaseStudyFactory(
        title="Shared revenues service",
        contact_email=SECRET,
        contact_role="Head of Revenues",
        lead=CouncilFactory(name="Teignbridge"),
    )


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")


def message(officer, **overrides):
    return {
        "purpose": "call",
        "subject": "Your shared revenues service",
        "message": "We are planning to share revenues with a neighbour and would value a call.",
        "sender_name": "Al Jones",
        "sender_role": "Revenues Manager",
        "sender_council": officer.council.pk,
        "website": "",
        **overrides,
    }


def send(client, study, officer, **overrides):
    client.force_login(officer)
    return client.post(reverse("peers:contact", args=[study.slug]), message(officer, **overrides))


def test_the_message_is_stored_then_relayed_with_reply_to_the_sender(client, study, officer):
    response = send(client, study, officer)

    assert response.status_code == 200
    assert "Your message was sent to the Head of Revenues at Teignbridge" in response.content.decode()
    stored = ContactRequest.objects.get()
    assert stored.route == Route.TEAM and stored.relayed_at is not None
    relayed = mail.outbox[-1]
    assert relayed.to == [SECRET]
    assert relayed.reply_to == ["al@middevon.gov.uk"]
    assert "Al Jones, Revenues Manager at Mid Devon" in relayed.body
    assert "would value a call" in relayed.body and "Your shared revenues service" in relayed.subject


def test_signing_in_is_needed_to_send(client, study):
    response = client.get(reverse("peers:contact", args=[study.slug]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_contacts_address_never_appears_anywhere_public(client, study, officer):
    pages = [
        study.get_absolute_url(),
        reverse("casestudies:list"),
        reverse("api:case-study-list"),
        reverse("api:case-study-detail", args=[study.slug]),
        reverse("opendata:export-csv"),
        reverse("feed-all"),
        reverse("opendata:feed-search") + "?q=revenues",
        reverse("sitemap"),
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url  # the page itself, not a redirect or an error page
        bodies.append(b"".join(response.streaming_content) if response.streaming else response.content)
    response = send(client, study, officer)
    bodies += [client.get(reverse("peers:contact", args=[study.slug])).content, response.content]

    for body in bodies:
        assert SECRET.encode() not in body and b"teignbridge.example" not in body


def test_five_messages_a_day_and_one_per_case_study(client, officer):
    studies = [CaseStudyFactory() for _ in range(6)]
    for study in studies[:5]:
        assert send(client, study, officer).status_code == 200

    again = send(client, studies[0], officer, subject="Another question")
    sixth = send(client, studies[5], officer)

    assert again.status_code == 429
    assert "already sent a message about this case study today" in again.content.decode()
    assert sixth.status_code == 429
    assert "at most 5 messages a day" in sixth.content.decode()
    assert ContactRequest.objects.count() == 5
    assert len(mail.outbox) == 5


def test_the_daily_limit_resets_after_a_day(client, study, officer):
    send(client, study, officer)
    ContactRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))

    assert send(client, study, officer).status_code == 200
    assert ContactRequest.objects.count() == 2


def test_a_filled_honeypot_is_refused_and_not_relayed(client, study, officer):
    response = send(client, study, officer, website="http://spam.example")

    assert response.status_code == 429
    assert "looks automated" in response.content.decode()
    assert not ContactRequest.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("message", "Too short", "at least 20 characters"),
        ("message", "x" * 5001, "5,000 characters or fewer"),
        ("subject", "Hi", "at least 5 characters"),
        ("subject", "", "Enter a subject"),
        ("purpose", "bribe", "Select a valid choice"),
        ("sender_council", "999999", "Choose one of your councils"),
    ],
)
def test_bad_input_is_refused_with_a_specific_error(client, study, officer, field, value, error):
    response = send(client, study, officer, **{field: value})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ContactRequest.objects.exists() and mail.outbox == []


def test_no_contact_means_the_curators_forward_it(client, officer, settings):
    study = CaseStudyFactory(contact_email="", contact_role="")

    response = send(client, study, officer)

    assert response.status_code == 200
    assert mail.outbox[-1].to == [settings.CURATORS_EMAIL]
    assert "Please forward" in mail.outbox[-1].subject and mail.outbox[-1].reply_to == [officer.email]
    assert ContactRequest.objects.get().route == Route.CURATORS


def test_a_refused_address_falls_back_to_the_curators(client, study, officer, settings, monkeypatch):
    real_send = contact.deliver

    def refusing(*, to, **kwargs):
        if to == [SECRET]:
            raise smtplib.SMTPRecipientsRefused({SECRET: (550, b"No such user")})
        return real_send(to=to, **kwargs)

    monkeypatch.setattr(contact, "deliver", refusing)

    send(client, study, officer)

    assert [m.to for m in mail.outbox] == [[settings.CURATORS_EMAIL]]
    assert BouncedAddress.objects.filter(email=SECRET).exists()
    # From now on, messages for that address go to the curators straight away.
    other = User.objects.create(username="b@middevon.gov.uk", email="b@middevon.gov.uk")
    Membership.objects.create(user=other, council=officer.council, status=MembershipStatus.CONFIRMED)
    other.council = officer.council
    send(client, study, other)
    assert ContactRequest.objects.latest("created_at").route == Route.CURATORS


def test_a_later_bounce_re_routes_recent_messages_to_the_curators(client, study, officer, settings):
    send(client, study, officer)
    mail.outbox.clear()
    out = io.StringIO()

    call_command("record_bounce", SECRET, "--detail", "550 mailbox unavailable", stdout=out)

    assert [m.to for m in mail.outbox] == [[settings.CURATORS_EMAIL]]
    assert "would value a call" in mail.outbox[0].body
    assert "1 messages re-routed" in out.getvalue()


def test_a_week_later_the_sender_is_asked_once_and_answers_in_one_click(client, study, officer):
    send(client, study, officer)
    mail.outbox.clear()

    assert contact.send_follow_ups() == 0  # not yet a week
    in_eight_days = timezone.now() + datetime.timedelta(days=8)
    assert contact.send_follow_ups(in_eight_days) == 1
    assert contact.send_follow_ups(in_eight_days) == 0  # never twice
    follow_up = mail.outbox[-1]
    assert follow_up.to == [officer.email] and "Did you get a reply" in follow_up.subject
    yes = re.search(r"Yes, they replied: (\S+)", follow_up.body).group(1)
    path = "/" + yes.split("://", 1)[1].split("/", 1)[1]

    client.logout()
    assert client.get(path).status_code == 200
    assert ContactRequest.objects.get().got_reply is None  # looking changes nothing
    client.post(path.split("?")[0], {"answer": "yes"})

    assert ContactRequest.objects.get().got_reply is True


def test_curators_see_counts_not_contents(client, study, officer):
    send(client, study, officer)
    ContactRequest.objects.update(got_reply=True)
    curator = User.objects.create(username="cat@network.org", is_staff=True)
    client.force_login(curator)

    page = client.get(reverse("peers:contact-stats")).content.decode()

    assert "Shared revenues service" in page
    assert re.search(r"numeric\">1</td>\s*<td[^>]*>1</td>", page)
    assert "would value a call" not in page
    client.force_login(officer)
    assert client.get(reverse("peers:contact-stats")).status_code == 403


def test_contents_are_deleted_after_90_days_and_counts_remain(client, study, officer):
    send(client, study, officer)
    ContactRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=91))
    out = io.StringIO()

    call_command("housekeeping", stdout=out)

    stored = ContactRequest.objects.get()
    assert stored.subject == "" and stored.message == "" and stored.contents_deleted_at
    assert stored.case_study == study and stored.sender == officer  # still counted
    assert "contents of 1 messages deleted" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_queue_holds_only_the_messages_id_so_deletion_leaves_no_copy(client, study, officer, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import _forget_task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _forget_task_backends()
    send(client, study, officer)

    queued = json.dumps([row.args_kwargs for row in DBTaskResult.objects.all()])
    assert "would value a call" not in queued and str(ContactRequest.objects.get().pk) in queued
    assert mail.outbox == []  # the worker has not run: nothing sent yet, nothing lost
    call_command(
        "db_worker",
        batch=True,
        no_startup_delay=True,
        reload=False,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert [m.to for m in mail.outbox] == [[SECRET]]


def test_the_form_says_how_long_messages_are_kept(client, study, officer):
    client.force_login(officer)
    page = client.get(reverse("peers:contact", args=[study.slug])).content.decode()
    assert "for 90 days" in page and "then delete it" in page
