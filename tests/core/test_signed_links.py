"""The three links that need no sign-in (still accurate?, did they reply?,
unsubscribe) work until their maximum age and not after, and a token made for
one never opens another. The clock is moved forward where the link is read."""

import contextlib
import datetime
import time
from unittest import mock

import pytest
from django.http import QueryDict
from django.urls import reverse

from casestudies.models import CaseStudy
from moderation import transitions
from peers import alerts, contact
from peers.models import ContactRequest, Follow, Purpose
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of

pytestmark = pytest.mark.django_db
OLD = datetime.date(2023, 1, 1)


@contextlib.contextmanager
def days_later(days: float):
    """Signed links read the time through django.core.signing's own `time`."""
    later = time.time() + days * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        yield


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")


def test_a_still_accurate_link_works_for_sixty_days_then_confirms_nothing(client):
    study = CaseStudyFactory(last_confirmed_at=OLD)
    path = reverse("moderation:still-accurate", args=[transitions.check_token(study)])

    with days_later(transitions.CHECK_LINK_DAYS + 1):
        expired = client.post(path)
    assert expired.status_code == 400
    assert CaseStudy.objects.get(pk=study.pk).last_confirmed_at == OLD

    with days_later(transitions.CHECK_LINK_DAYS - 1):
        assert client.post(path).status_code == 200
    assert CaseStudy.objects.get(pk=study.pk).last_confirmed_at != OLD


def test_a_did_they_reply_link_expires(client, officer):
    request = ContactRequest.objects.create(
        case_study=CaseStudyFactory(), sender=officer, purpose=Purpose.CALL, subject="Hello", message="Hi"
    )
    path = reverse("peers:got-reply", args=[contact.reply_token(request)])

    with days_later(contact.REPLY_LINK_DAYS + 1):
        assert client.post(path, {"answer": "yes"}).status_code == 400
    assert ContactRequest.objects.get().got_reply is None

    with days_later(contact.REPLY_LINK_DAYS - 1):
        assert client.post(path, {"answer": "yes"}).status_code == 200
    assert ContactRequest.objects.get().got_reply is True


def test_an_unsubscribe_link_lasts_longer_but_not_forever(client, officer):
    follow, _ = alerts.follow_create(user=officer, data=QueryDict("theme=housing"), frequency="weekly")
    path = reverse("peers:unsubscribe", args=[alerts.unsubscribe_token(follow)])
    assert alerts.UNSUBSCRIBE_LINK_DAYS > transitions.CHECK_LINK_DAYS

    with days_later(alerts.UNSUBSCRIBE_LINK_DAYS + 1):
        client.post(path, {"List-Unsubscribe": "One-Click"})
    assert Follow.objects.filter(pk=follow.pk).exists()

    with days_later(alerts.UNSUBSCRIBE_LINK_DAYS - 1):
        client.post(path, {"List-Unsubscribe": "One-Click"})
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_a_token_made_for_one_link_opens_no_other(client):
    study = CaseStudyFactory(last_confirmed_at=OLD)
    # The right content, signed for another purpose (the unsubscribe link's).
    token = alerts.UNSUBSCRIBE_LINK.make(case_study=study.pk)

    response = client.post(reverse("moderation:still-accurate", args=[token]))

    assert response.status_code == 400
    assert CaseStudy.objects.get(pk=study.pk).last_confirmed_at == OLD
