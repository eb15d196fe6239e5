"""A large CSV export (more case studies than LARGE_EXPORT_ROWS: the whole shelf, or
a filter that matches most of it) holds a web worker for as long as it streams.
So each client may start a few an hour, at most a few run at once across the
site, and a refusal is a 429 with Retry-After pointing to the API's pages.
Smaller exports are not limited."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections

from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db

EXPORT = "/case-studies/export.csv"
ONE, TWO, THREE = ({"REMOTE_ADDR": f"203.0.113.{number}"} for number in (1, 2, 3))
# The README's numbers: 3 large exports an hour from one client, 2 at once across the site.
PER_CLIENT, AT_ONCE = 3, 2


@pytest.fixture
def shelves(db, monkeypatch):
    # Large means more than 3 here, so that five case studies make a large export.
    monkeypatch.setattr("opendata.export_limits.LARGE_EXPORT_ROWS", 3, raising=False)
    cache.clear()
    return CaseStudyFactory.create_batch(5)


def download(client, query: str = "", **extra) -> int:
    response = client.get(f"{EXPORT}?{query}", **extra)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, as a browser does
    return response.status_code


def test_a_client_may_start_three_large_exports_an_hour(client, shelves):
    assert [download(client, **ONE) for _ in range(PER_CLIENT)] == [200] * PER_CLIENT

    refused = client.get(EXPORT, **ONE)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "/api/v1/case-studies/?page_size=100" in html
    assert "at most 3 exports of more than 3 case studies an hour" in html
    assert download(client, **TWO) == 200


def test_at_most_two_large_exports_stream_at_once_across_the_site(client, shelves):
    first = client.get(EXPORT, **ONE)
    second = client.get(EXPORT, **TWO)
    assert (first.status_code, second.status_code) == (200, 200)

    busy = client.get(EXPORT, **THREE)

    assert busy.status_code == 429
    assert 0 < int(busy["Retry-After"]) <= 120
    assert "/api/v1/case-studies/?page_size=100" in busy.content.decode()
    b"".join(first.streaming_content)  # the first download finishes, and gives its place back
    assert download(client, **THREE) == 200
    b"".join(second.streaming_content)


def test_a_filter_that_matches_most_of_the_shelves_is_a_large_export(client, shelves):
    # Every one of the five started in 2015, so this filter narrows nothing.
    codes = [download(client, f"started_from=2010&n={number}", **ONE) for number in range(PER_CLIENT + 1)]

    assert codes == [200, 200, 200, 429]


def test_small_filtered_exports_are_not_limited(client, shelves):
    one_study = f"council={shelves[0].lead_council.code}"

    assert {download(client, one_study, **ONE) for _ in range(PER_CLIENT * 3)} == {200}


def closed_as_the_test_client_closes(response) -> None:
    """What the web server does with every response, read to the end or not; without
    closing the database connection, which the test runs inside (as the test client does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_an_export_that_is_never_read_still_gives_its_place_back_when_closed(client, shelves):
    for number in range(AT_ONCE + 1):
        response = client.get(EXPORT, REMOTE_ADDR=f"192.0.2.{number}")
        assert response.status_code == 200
        closed_as_the_test_client_closes(response)
