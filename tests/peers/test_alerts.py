"""Following a search, a reform type or a theme: new matches by email, once
each, immediately or weekly; one-click unsubscribe; an Atom feed per search."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from moderation import transitions as moderation
from peers import alerts
from peers.models import AlertDelivery, Follow, Frequency
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return User.objects.create(username="al@middevon.gov.uk", email="al@middevon.gov.uk")


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


def submitted(**kwargs):
    return CaseStudyFactory(publication_state="submitted", published_at=None, **kwargs)


def test_following_the_current_search_from_the_list(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("peers:follow"),
        {"query": "q=waste&reform_type=shared-services&page=3", "frequency": "immediate"},
    )

    assert response.status_code == 302
    follow = Follow.objects.get()
    assert follow.query == "q=waste&reform_type=shared-services"  # the page number is not part of it
    assert follow.frequency == Frequency.IMMEDIATE
    assert "“waste”" in follow.label and "Shared services" in follow.label
    account = client.get(reverse("accounts:account")).content.decode()
    # The account lists the follow by its label, linking to the search it follows.
    link = '<a class="govuk-link" href="/case-studies/?q=waste&amp;reform_type=shared-services">'
    assert f"{link}{escape(follow.label)}</a>, emailed as soon as one is published" in account
    assert "/case-studies/feed.atom?q=waste&amp;reform_type=shared-services" in account


def test_an_immediate_follower_hears_of_a_matching_publication_once(officer, curator):
    follow, _ = alerts.follow_create(user=officer, data=QueryDict("theme=housing"), frequency="immediate")
    matching = submitted(title="Housing repairs company", theme_slugs=["housing"])
    other = submitted(title="Shared waste depot", theme_slugs=["waste-and-environment"])

    moderation.publish(matching, curator)
    moderation.publish(other, curator)

    alerts_sent = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(alerts_sent) == 1
    assert (
        "Housing repairs company" in alerts_sent[0].body and "Shared waste depot" not in alerts_sent[0].body
    )
    assert alerts.send_alerts(Frequency.IMMEDIATE) == (0, 0)  # never twice
    assert AlertDelivery.objects.filter(follow=follow).count() == 1


def test_weekly_followers_get_one_email_a_week_with_everything_new(officer, curator):
    follow, _ = alerts.follow_create(
        user=officer, data=QueryDict("reform_type=shared-services"), frequency="weekly"
    )
    for n in range(3):
        moderation.publish(submitted(title=f"Shared service {n}"), curator)
    assert [m for m in mail.outbox if m.to == [officer.email]] == []  # weekly: not yet

    week_later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    assert alerts.send_alerts(Frequency.WEEKLY, week_later) == (1, 3)
    assert alerts.send_alerts(Frequency.WEEKLY, week_later) == (0, 0)
    assert alerts.send_alerts(Frequency.WEEKLY, week_later + datetime.timedelta(days=7)) == (0, 0)
    digest = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(digest) == 1 and "3 new case studies" in digest[0].subject
    follow.refresh_from_db()
    assert follow.deliveries.count() == 3


def test_case_studies_published_before_the_follow_are_not_sent(officer):
    CaseStudyFactory(title="Old news", published_at=timezone.now() - datetime.timedelta(days=30))
    alerts.follow_create(user=officer, data=QueryDict(""), frequency="immediate")

    assert alerts.send_alerts(Frequency.IMMEDIATE) == (0, 0)


def test_every_alert_unsubscribes_in_one_click_without_signing_in(client, officer, curator):
    alerts.follow_create(user=officer, data=QueryDict(""), frequency="immediate")
    moderation.publish(submitted(title="Anything new"), curator)
    alert = next(m for m in mail.outbox if m.to == [officer.email])
    link = re.search(r"Stop these emails \(one click, no sign-in\): (\S+)", alert.body).group(1)
    assert alert.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    assert client.get(path).status_code == 200 and Follow.objects.exists()  # looking changes nothing
    # As a mail client does: no cookie, no CSRF token, and a client that checks CSRF
    # as a browser's request is checked (the test client's default skips the check).
    mail_client = type(client)(enforce_csrf_checks=True)
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Follow.objects.exists()
    assert "You no longer follow" in response.content.decode()


def test_other_alert_forms_refuse_a_post_without_a_csrf_token(client, officer):
    # What makes the one-click unsubscribe above mean something: the same client
    # is refused by a form that is not exempt.
    follow, _ = alerts.follow_create(user=officer, data=QueryDict(""), frequency="weekly")
    browser = type(client)(enforce_csrf_checks=True)
    browser.force_login(officer)

    response = browser.post(reverse("peers:unfollow", args=[follow.pk]))

    assert response.status_code == 403
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_a_forged_unsubscribe_link_does_nothing(client, officer):
    follow, _ = alerts.follow_create(user=officer, data=QueryDict(""), frequency="weekly")
    token = alerts.unsubscribe_token(follow)

    client.post(reverse("peers:unsubscribe", args=[token[:-3] + "abc"]))

    assert Follow.objects.exists()


def test_officers_unfollow_from_their_account_and_only_their_own(client, officer):
    follow, _ = alerts.follow_create(user=officer, data=QueryDict("theme=housing"), frequency="weekly")
    someone = User.objects.create(username="x@else.gov.uk", email="x@else.gov.uk")
    client.force_login(someone)
    assert client.post(reverse("peers:unfollow", args=[follow.pk])).status_code == 404
    client.force_login(officer)

    client.post(reverse("peers:unfollow", args=[follow.pk]))

    assert not Follow.objects.exists()


def test_each_followed_search_has_an_atom_feed(client, officer):
    CaseStudyFactory(title="Housing repairs company", theme_slugs=["housing"])
    CaseStudyFactory(title="Shared waste depot")
    follow, _ = alerts.follow_create(user=officer, data=QueryDict("theme=housing"), frequency="weekly")

    feed = client.get(alerts.feed_url(follow)).content.decode()

    assert "Housing repairs company" in feed and "Shared waste depot" not in feed


def test_anonymous_visitors_are_offered_sign_in_to_follow(client):
    page = client.get(reverse("casestudies:list") + "?q=waste").content.decode()
    assert "to get an email when a new case study matches this search" in page
