"""A signed-in officer stays signed in while they use the site and is signed out after
SESSION_COOKIE_AGE without using it, and reading pages does not write the session each time
(core.middleware.SlidingSessionMiddleware)."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from councils.models import EmailDomain
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/case-studies/", "/councils/", "/account/"]


@pytest.fixture
def signed_in(client):
    """An officer signed in through the emailed link, as a person signs in."""
    EmailDomain.objects.create(council=CouncilFactory(name="South Hams"), domain="southhams.gov.uk")
    client.post(reverse("accounts:sign-in"), {"email": "jo@southhams.gov.uk"})
    link = mail.outbox[-1].body.split("https://testserver", 1)[1].split()[0]
    assert client.post(link).status_code == 302
    return client


def stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_reading_pages_signed_in_writes_nothing_to_the_session(signed_in):
    before = stored(signed_in).expire_date
    for path in PAGES:
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert "sessionid" not in response.cookies, path  # nothing saved, so no new cookie

    assert stored(signed_in).expire_date == before
    assert signed_in.get(reverse("accounts:account")).status_code == 200  # still signed in


def test_a_session_in_use_is_extended_once_its_last_save_is_old_enough(signed_in, settings):
    before = stored(signed_in).expire_date
    settings.SESSION_REFRESH_SECONDS = 0  # as if the last save were older than the interval

    response = signed_in.get("/")

    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert stored(signed_in).expire_date > before
    assert signed_in.get(reverse("accounts:account")).status_code == 200


def test_a_session_unused_for_the_session_age_ends_and_is_not_brought_back(signed_in, settings):
    # Two hours without a request, as far as the session's stored expiry is concerned.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    settings.SESSION_REFRESH_SECONDS = 0

    assert signed_in.get("/healthz").status_code == 200  # a page that never reads the session
    response = signed_in.get(reverse("accounts:account"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_signing_out_leaves_no_session_even_when_one_is_due_to_be_saved(signed_in, settings):
    settings.SESSION_REFRESH_SECONDS = 0

    response = signed_in.post(reverse("accounts:sign-out"))

    assert response.status_code == 302
    assert response.cookies["sessionid"].value == ""  # the cookie is deleted
    assert not Session.objects.exists()
    assert signed_in.get(reverse("accounts:account")).status_code == 302


def test_a_visitor_without_a_session_is_given_none(client, settings, db):
    settings.SESSION_REFRESH_SECONDS = 0

    for path in PAGES[:3]:
        response = client.get(path)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies, path

    assert not Session.objects.exists()
