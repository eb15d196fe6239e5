"""The hostile corpus (corpus.py) in every public address: each search box and
filter of the shelves (the list page, the API, the search feed, the CSV), the
council directory and its autocomplete, the councils' API, and every path
converter. Never a 500, on either database, and each answer the one it gives
for any bad value: the pages show the shelf and name what they ignored, the
API refuses naming the parameter, the feed is not found, an address naming
nothing is not found.

Bounded to stay fast: each value goes into every filter at once, to the API,
the list page, the search feed and the CSV, which must agree on what they
cannot use; then alone into the feed's search words (a feed with a bad filter
is refused before it searches), the council filters, the directory and its
autocomplete; and into every path converter."""

import json
import re
from urllib.parse import quote, unquote

import feedparser
import pytest
from django.contrib.auth.models import User

from browse.filters import CaseStudyFilter
from tests.hostile.corpus import HOSTILE, RAW_PATHS, ids

pytestmark = pytest.mark.django_db

FILTERS = [*CaseStudyFilter.base_filters]
RESULTS = ["count", "next", "previous", "results"]  # an API page's keys


@pytest.fixture(autouse=True)
def _shelves(shelves, db):
    pass  # made once for the module (conftest.py)


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def assert_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html and "onerror=alert(1)>" not in html


def assert_links_lead_somewhere(html: str) -> None:
    # Every error summary link goes to an element of the page, so it names the field.
    for target in re.findall(r'govuk-error-summary__list">(.*?)</ul>', html, re.S):
        for anchor in re.findall(r'href="#([^"]+)"', target):
            assert f'id="{anchor}"' in html, f"the error summary links to #{anchor}, which is not on the page"


def ignored_filters(html: str) -> set[str]:
    """The filters the list page says it could not use."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not summary:
        return set()
    links = re.findall(r'href="#(?:id_(\w+)|filter-(\w+)-0|(my-council))"', summary[1])
    return {field or filter_ or "like" for field, filter_, like in links}


def well_formed_feed(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def api_answer(client, url: str, params: dict) -> tuple[int, list[str]]:
    response = client.get(url, params)
    return response.status_code, sorted(response.json())


# Search boxes: text that reaches the database and the search engine. (The
# list page's, the API's and the CSV's are in the filter test below, each value
# in every filter at once: search words are searched whatever else is wrong.)


def search_feed(client, value):
    response = client.get("/case-studies/feed.atom", {"q": value})
    if "\x00" in value:
        assert response.status_code == 404
    else:
        assert well_formed_feed(response).feed.title.startswith("New case studies")


def api_council_names(client, value):
    # A council by name, code or alias, resolved in the database; no council is called any of these.
    answer = api_answer(client, "/api/v1/case-studies/", {"council": value, "like": value})
    assert answer == ((200, RESULTS) if value.strip() == "" else (400, ["council", "like"]))


def directory(client, value):
    response = client.get("/councils/", {"name": value})
    assert response.status_code == 200
    assert_escaped(body(response))


def autocomplete(client, value):
    response = client.get("/councils/autocomplete.json", {"q": value})
    assert response.status_code == 200
    assert set(json.loads(response.content)) == {"councils"}


SEARCH_BOXES = [search_feed, api_council_names, directory, autocomplete]


@pytest.mark.parametrize("box", SEARCH_BOXES, ids=lambda box: box.__name__)
def test_every_search_box_takes_any_text(client, box):
    for name, value in HOSTILE:
        try:
            box(client, value)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


# Filters: each value in every filter at once, to the API, the list page, the
# search feed and the CSV, which must agree on what they cannot use.


def refused(value: str) -> set[str]:
    """No filter but the search words takes any of the corpus; a NUL not even those."""
    if value.strip() == "":
        return None  # an empty value means no filter for some, a bad choice for others
    return {*FILTERS} - {"q"} | ({"q"} if "\x00" in value else set())


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=ids(HOSTILE))
def test_a_filter_value_is_refused_alike_by_the_api_the_page_and_the_feed(client, name, value):
    everything = dict.fromkeys(FILTERS, value)

    status, keys = api_answer(client, "/api/v1/case-studies/", everything)
    page = client.get("/case-studies/", everything)
    feed = client.get("/case-studies/feed.atom", everything)
    export = client.get("/case-studies/export.csv", everything)

    html = body(page)
    assert page.status_code == 200
    assert_escaped(html)
    assert_links_lead_somewhere(html)
    ignored = ignored_filters(html)
    assert ignored == (refused(value) if refused(value) is not None else ignored)
    assert (status, keys) == ((400, sorted(ignored)) if ignored else (200, RESULTS))
    if ignored:
        assert feed.status_code == 404
    else:
        well_formed_feed(feed)
    # The CSV refuses what it cannot use, as the API does, naming each filter.
    if ignored:
        assert export.status_code == 400
        assert {line.split(":")[0] for line in body(export).splitlines()[1:]} == ignored
    else:
        assert export.status_code == 200 and body(export).startswith("slug,")
    page_number = api_answer(client, "/api/v1/case-studies/", {"page": value})
    assert page_number == ((200, RESULTS) if value == "" else (404, ["detail"]))


def test_the_councils_api_refuses_naming_the_parameter(client):
    for name, value in HOSTILE:
        for parameter in ["nation", "region", "type", "status", "page"]:
            status, keys = api_answer(client, "/api/v1/councils/", {parameter: value})
            if value == "":
                assert status == 200, (name, parameter)
            else:
                assert (status, keys) == ((404, ["detail"]) if parameter == "page" else (400, [parameter])), (
                    name,
                    parameter,
                )
        assert api_answer(client, "/api/v1/councils/", {"page_size": value})[0] == 200, name


def test_the_directory_ignores_a_bad_choice_and_says_nothing_broke(client):
    for name, value in HOSTILE:
        params = dict.fromkeys(["nation", "region", "council_type", "include_abolished", "page"], value)
        response = client.get("/councils/", params)
        assert response.status_code == 200, name
        assert_escaped(body(response))


# Path converters: slugs, council codes, numbers and signed tokens.

IN_PATHS = [(name, quote(value, safe="")) for name, value in HOSTILE if value.strip()] + RAW_PATHS
# Slugs, council codes and numbers are all made of these: anything else cannot
# reach a view through those converters. One address for each converter takes
# every entry to show it; the others take only what could reach their view.
CONVERTIBLE = [(name, segment) for name, segment in IN_PATHS if re.fullmatch(r"[-a-zA-Z0-9_]+", segment)]
EVERY_ENTRY = ["/case-studies/{}/", "/submissions/{}/"]  # slug, number (council codes below)
NOT_FOUND = [
    "/case-studies/{}/",
    "/api/v1/case-studies/{}/",
    "/api/v1/councils/{}/",
    "/feeds/reform-types/{}.atom",
    "/feeds/themes/{}.atom",
    "/feeds/councils/{}.atom",
    "/attachments/{}/",
    # Behind the sign-in: asked by a curator, who may see everything there is.
    "/case-studies/{}/contact/",
    "/case-studies/{}/adopted/",
    "/submissions/{}/",
    "/submissions/{}/preview/",
    "/submissions/{}/about/",
    "/submissions/{}/check/",
    "/submissions/{}/propose-edit/",
    "/submissions/edits/{}/",
    "/review/case-studies/{}/",
    "/review/adoptions/{}/",
    "/review/edits/{}/",
]
SIGNED_IN = {"/case-studies/{}/contact/", "/case-studies/{}/adopted/", "/submissions/", "/review/"}
# Signed links answer a forged token with a page saying the link has expired,
# or (to a GET, which must spend nothing) the button to press: (GET, POST).
TOKENS = {
    "/sign-in/{}/": (200, 400),
    "/alerts/unsubscribe/{}/": (200, 200),
    "/contact/replied/{}/": (400, 400),
    "/case-studies/still-accurate/{}/": (400, 400),
}


def test_most_of_the_corpus_cannot_reach_a_view_through_a_slug_code_or_number():
    assert 5 <= len(CONVERTIBLE) <= len(IN_PATHS) // 4


@pytest.mark.parametrize("address", NOT_FOUND)
def test_an_address_naming_nothing_is_not_found(client, address):
    if any(address.startswith(prefix) or address == prefix for prefix in SIGNED_IN):
        client.force_login(User.objects.create(username="curator", email="cat@network.org", is_staff=True))
    for name, segment in IN_PATHS if address in EVERY_ENTRY else CONVERTIBLE:
        response = client.get(address.format(segment))
        assert response.status_code == 404, f"{name}: {response.status_code}"


def test_a_council_address_naming_nothing_is_not_found(client):
    for name, segment in IN_PATHS:
        response = client.get(f"/councils/{segment}/", follow=True)
        assert response.status_code == 404, name  # after at most a redirect to the code in lower case
        assert all(url.lower() == url for url, _ in response.redirect_chain), name


@pytest.mark.parametrize(("address", "statuses"), TOKENS.items())
def test_a_forged_token_is_an_expired_link(client, address, statuses):
    for name, segment in IN_PATHS:
        answers = client.get(address.format(segment)), client.post(address.format(segment))
        # A slash, even encoded, ends the token: no such address.
        expected = (404, 404) if "/" in unquote(segment) else statuses
        assert tuple(answer.status_code for answer in answers) == expected, name
        assert_escaped(body(answers[0]))


@pytest.mark.parametrize(("name", "raw"), RAW_PATHS, ids=ids(RAW_PATHS))
def test_broken_encodings_in_a_query_string_never_break_a_shelf(client, name, raw):
    # Lone surrogates and broken UTF-8 can only be sent already percent-encoded.
    query = "&".join(f"{parameter}={raw}" for parameter in FILTERS)

    page = client.get(f"/case-studies/?{query}")
    api = client.get(f"/api/v1/case-studies/?{query}")
    feed = client.get(f"/case-studies/feed.atom?q={raw}")

    assert page.status_code == 200
    assert_links_lead_somewhere(body(page))
    assert (api.status_code, sorted(api.json())) == (400, sorted(ignored_filters(body(page))))
    assert feed.status_code == (404 if "%00" in raw else 200)
    assert client.get(f"/councils/?name={raw}").status_code == 200
    assert client.get(f"/councils/autocomplete.json?q={raw}").status_code == 200
