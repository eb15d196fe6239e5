"""Whole public pages served from the shared cache: cheap, never stale after a
curator acts, and never one visitor's page served to another."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from moderation import transitions as moderation
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import HttpsClient, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves():
    council = CouncilFactory(name="South Hams")
    study = CaseStudyFactory(title="One workforce for two councils", lead=council)
    return council, study


def public_pages(council, study) -> list[str]:
    return [
        reverse("home"),
        reverse("casestudies:list"),
        reverse("casestudies:list") + "?q=workforce&status=implemented",
        study.get_absolute_url(),
        reverse("councils:directory"),
        council.get_absolute_url(),
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_a_page_served_from_the_cache_costs_two_queries_however_many_case_studies(client, count):
    council = CouncilFactory()
    studies = [CaseStudyFactory(lead=council) for _ in range(count)]

    for url in public_pages(council, studies[0]):
        client.get(url)  # built once
        assert count_queries(client, url) == 2, url  # the shelf version, then the page


def test_the_api_list_served_from_the_cache_still_counts_against_the_rate(client, shelves, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    url = "/api/v1/case-studies/"

    first = client.get(url)
    # The rate counter (read, then a write: its table counted, and one upsert in a
    # savepoint, the test being a transaction), the shelf version, the data.
    assert count_queries(client, url) == 7
    codes = [client.get(url).status_code for _ in range(2)]

    assert first.json()["results"][0]["title"] == "One workforce for two councils"
    assert codes == [200, 429]  # the 3rd of 3 a minute, then refused


def test_a_publish_shows_at_once_on_every_cached_page(client, shelves):
    council, _ = shelves
    curator = User.objects.create(username="cat", is_staff=True)
    waiting = CaseStudyFactory(
        title="Library hubs run by volunteers", lead=council, publication_state="submitted", published_at=None
    )
    for url in public_pages(*shelves):
        client.get(url)
    search = reverse("casestudies:list") + "?q=library"
    assert b"Library hubs run by volunteers" not in client.get(search).content

    moderation.publish(waiting, curator)

    for url in [reverse("home"), reverse("casestudies:list"), search, council.get_absolute_url()]:
        assert b"Library hubs run by volunteers" in client.get(url).content, url
    assert client.get(waiting.get_absolute_url()).status_code == 200

    moderation.archive(waiting, curator)

    for url in [reverse("home"), reverse("casestudies:list"), search, council.get_absolute_url()]:
        assert b"Library hubs run by volunteers" not in client.get(url).content, url
    assert client.get(waiting.get_absolute_url()).status_code == 404


def test_each_visitor_gets_their_own_csrf_token_and_it_works(shelves):
    first, second = HttpsClient(enforce_csrf_checks=True), HttpsClient(enforce_csrf_checks=True)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    first_token = token.search(first.get(reverse("casestudies:list")).content.decode()).group(1)
    served = second.get(reverse("casestudies:list"))
    second_token = token.search(served.content.decode()).group(1)
    posted = second.post(
        reverse("councils:choose-mine"),
        {"council": "South Hams", "csrfmiddlewaretoken": second_token},
        headers={"Origin": "https://testserver"},  # as a browser sends with an HTTPS form
    )

    assert "page-cache" not in served.content.decode()
    assert second_token != first_token
    assert "csrftoken" in served.cookies
    assert posted.status_code == 302
    assert posted["Location"].endswith("?like=" + shelves[0].code.lower())


def test_each_response_carries_a_fresh_nonce_matching_its_policy(client, shelves):
    nonces = []
    for _ in range(2):
        response = client.get(reverse("casestudies:list"))
        in_page = re.search(r'<script[^>]*nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{in_page}'" in response["Content-Security-Policy"]
        nonces.append(in_page)

    assert nonces[0] != nonces[1]


def test_signed_in_visitors_and_visitors_with_a_session_get_their_own_page(client, shelves):
    anonymous_page = client.get(reverse("casestudies:list")).content
    officer = User.objects.create(username="officer", email="officer@southhams.gov.uk")
    signed_in = HttpsClient()
    signed_in.force_login(officer)

    page = signed_in.get(reverse("casestudies:list")).content

    assert b"Follow this search" not in anonymous_page
    assert b"Follow this search" in page
    assert b"Follow this search" not in client.get(reverse("casestudies:list")).content


def test_a_remembered_council_is_not_shown_to_the_next_visitor(shelves):
    remembering = HttpsClient()
    remembering.post(reverse("councils:choose-mine"), {"council": "South Hams"})

    theirs = remembering.get(reverse("casestudies:list")).content.decode()
    next_visitor = HttpsClient().get(reverse("casestudies:list")).content.decode()

    assert 'value="South Hams"' in theirs
    assert 'value="South Hams"' not in next_visitor


def test_a_page_not_found_is_not_cached(client, shelves):
    client.get("/case-studies/no-such-study/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/case-studies/no-such-study/")

    assert again.status_code == 404
    assert any("casestudies_casestudy" in query["sql"] for query in queries.captured_queries)


def test_turned_off_every_page_is_built(client, shelves, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("casestudies:list"))

    assert count_queries(client, reverse("casestudies:list")) > 2


def test_a_page_says_whether_it_came_from_the_cache(client, shelves):
    _, study = shelves
    first = client.get(study.get_absolute_url())
    again = client.get(study.get_absolute_url())
    client.force_login(User.objects.create(username="officer"))
    signed_in = client.get(study.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert again["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in signed_in  # built for them, never cached
