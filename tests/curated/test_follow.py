"""Officers follow a collection as they follow a search: an email from the
worker when a case study is added, once each, with a one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from curated import alerts, services
from curated.models import CollectionFollow
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def add(collection, title: str, **kwargs):
    return services.collection_add_item(
        collection=collection, case_study=CaseStudyFactory(title=title, **kwargs), note="Worth a look.",
        by=collection.created_by,
    )  # fmt: skip


def alerts_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_an_officer_follows_a_published_collection(client, officer, published):
    client.force_login(officer)

    response = client.post(reverse("curated:follow", args=[published.slug]))

    assert response.status_code == 302
    assert CollectionFollow.objects.filter(user=officer, collection=published).exists()
    assert "You follow this collection" in client.get(published.get_absolute_url()).content.decode()


def test_a_visitor_is_asked_to_sign_in_to_follow(client, published):
    response = client.post(reverse("curated:follow", args=[published.slug]))

    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert not CollectionFollow.objects.exists()


def test_the_cached_page_offers_visitors_a_sign_in_link(client, published):
    page = client.get(published.get_absolute_url()).content.decode()

    assert "to get an email when a case study is added" in page and "Follow this collection" not in page


def test_a_draft_cannot_be_followed(client, officer, collection):
    client.force_login(officer)

    assert client.post(reverse("curated:follow", args=[collection.slug])).status_code == 404


def test_an_officer_unfollows(client, officer, published):
    services.collection_follow(user=officer, collection=published)
    client.force_login(officer)

    client.post(reverse("curated:unfollow", args=[published.slug]))

    assert not CollectionFollow.objects.exists()


def test_followers_are_emailed_when_a_case_study_is_added(officer, published):
    services.collection_follow(user=officer, collection=published)

    add(published, "Joint procurement hub")

    (alert,) = alerts_to(officer)
    assert alert.subject == "Added to Sharing a chief executive: Joint procurement hub"
    assert "Worth a look." in alert.body and "/case-studies/shared-waste-service-" in alert.body


def test_nobody_is_emailed_about_additions_to_a_draft(officer, collection):
    services.collection_follow(user=officer, collection=collection)

    add(collection, "Quiet addition")

    assert alerts_to(officer) == []


def test_a_case_study_is_sent_to_a_follower_only_once(officer, curator, published):
    services.collection_follow(user=officer, collection=published)
    item = add(published, "Joint procurement hub")
    study = item.case_study
    services.collection_remove_item(item=item, by=curator)

    services.collection_add_item(collection=published, case_study=study, note="Back again.", by=curator)

    assert len(alerts_to(officer)) == 1
    assert alerts.send_item_alerts(published.items.get(case_study=study).pk) == 0


def test_every_alert_unsubscribes_in_one_click_without_signing_in(client, officer, published):
    services.collection_follow(user=officer, collection=published)
    add(published, "Joint procurement hub")
    (alert,) = alerts_to(officer)
    link = re.search(r"Stop these emails \(one click, no sign-in\): (\S+)", alert.body).group(1)
    assert alert.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    assert (
        client.get(path).status_code == 200 and CollectionFollow.objects.exists()
    )  # looking changes nothing
    response = type(client)(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and "You no longer follow" in response.content.decode()
    assert not CollectionFollow.objects.exists()


def test_a_tampered_unsubscribe_link_does_nothing(client, officer, published):
    follow = CollectionFollow.objects.create(user=officer, collection=published)
    token = alerts.unsubscribe_token(follow)

    response = client.post(reverse("curated:unsubscribe", args=[token[:-2] + "xx"]))

    assert response.status_code == 200 and CollectionFollow.objects.exists()


def test_unfollowing_a_draft_one_does_not_follow_says_nothing_of_it(client, officer, collection):
    client.force_login(officer)

    response = client.post(reverse("curated:unfollow", args=[collection.slug]))

    assert response.status_code == 404 and collection.title not in response.content.decode()
