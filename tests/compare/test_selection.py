"""Choosing case studies to compare, without JavaScript: a POST from any list or
case study page, remembered in the session while the officer moves between pages."""

import re

import pytest
from django.urls import reverse

from casestudies.models import PublicationState
from tests.factories import CaseStudyFactory
from tests.helpers import HttpsClient

pytestmark = pytest.mark.django_db

ADD = reverse("compare:add")
REMOVE = reverse("compare:remove")
SELECTION = reverse("compare:selection")


@pytest.fixture
def studies():
    return [CaseStudyFactory(title=f"Reform {number}", slug=f"reform-{number}") for number in range(5)]


def chosen(client) -> list[str]:
    """The titles on the selection page, in order."""
    html = client.get(SELECTION).content.decode()
    return re.findall(
        r'<h2 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html
    )


def add(client, slug: str, next_page: str = ""):
    return client.post(ADD, {"slug": slug, "next": next_page})


def test_the_list_and_each_case_study_page_offer_add_to_comparison(client, studies):
    for url in [reverse("casestudies:list"), studies[0].get_absolute_url(), reverse("home")]:
        html = client.get(url).content.decode()

        assert f'action="{ADD}"' in html, url
        assert 'name="slug" value="reform-0"' in html, url


def test_adding_goes_back_to_the_page_the_button_was_on(client, studies):
    response = add(client, "reform-0", "/case-studies/?q=reform")

    assert response.status_code == 302
    assert response["Location"] == "/case-studies/?q=reform"


def test_adding_says_so_with_a_link_to_the_comparison(client, studies):
    response = add(client, "reform-0", "/case-studies/")

    html = client.get(response["Location"]).content.decode()
    assert "Added “Reform 0” to your comparison (1 of 4 chosen)." in html
    assert f'<a class="govuk-notification-banner__link" href="{SELECTION}">See your comparison</a>' in html


def test_the_selection_survives_moving_between_pages(client, studies):
    add(client, "reform-2", studies[2].get_absolute_url())
    client.get(reverse("casestudies:list"))
    client.get(reverse("councils:directory"))
    add(client, "reform-0", "/case-studies/")

    assert chosen(client) == ["Reform 2", "Reform 0"]


def test_the_selection_links_to_the_shareable_comparison(client, studies):
    add(client, "reform-1")
    add(client, "reform-3")

    html = client.get(SELECTION).content.decode()

    assert f'href="{reverse("compare:comparison")}?s=reform-1&amp;s=reform-3"' in html
    assert "Compare these" in html


def test_with_one_chosen_it_asks_for_another(client, studies):
    add(client, "reform-1")

    html = client.get(SELECTION).content.decode()

    assert "Compare these" not in html
    assert "Choose at least 2 to compare them" in html


def test_adding_the_same_study_twice_keeps_it_once(client, studies):
    add(client, "reform-1")
    add(client, "reform-1")

    assert chosen(client) == ["Reform 1"]


def test_a_fifth_study_is_refused_with_a_clear_message(client, studies):
    for number in range(4):
        add(client, f"reform-{number}")

    response = add(client, "reform-4", "/case-studies/")

    assert "You have already chosen 4 case studies, the most you can compare." in (
        client.get(response["Location"]).content.decode()
    )
    assert chosen(client) == ["Reform 0", "Reform 1", "Reform 2", "Reform 3"]


def test_a_study_that_stopped_being_public_frees_its_place(client, studies):
    for number in range(4):
        add(client, f"reform-{number}")
    studies[0].publication_state = PublicationState.ARCHIVED
    studies[0].save()

    add(client, "reform-4")

    assert chosen(client) == ["Reform 1", "Reform 2", "Reform 3", "Reform 4"]


def test_a_study_that_is_not_public_cannot_be_added(client, studies):
    CaseStudyFactory(title="Secret merger plan", slug="secret", publication_state=PublicationState.SUBMITTED)

    response = add(client, "secret")

    assert response.status_code == 404
    assert chosen(client) == []


def test_leaving_one_out_keeps_the_others(client, studies):
    add(client, "reform-0")
    add(client, "reform-1")

    response = client.post(REMOVE, {"slug": "reform-0"})

    assert response["Location"] == SELECTION
    assert chosen(client) == ["Reform 1"]


def test_leaving_them_all_out_empties_the_selection(client, studies):
    add(client, "reform-0")
    add(client, "reform-1")

    client.post(REMOVE, {"all": "yes"})

    assert "You have not chosen any case studies to compare yet." in client.get(SELECTION).content.decode()


@pytest.mark.parametrize("url", [ADD, REMOVE])
def test_nothing_changes_on_get(client, studies, url):
    response = client.get(url, {"slug": "reform-0"})

    assert response.status_code == 405


def test_it_never_sends_the_officer_to_another_site(client, studies):
    response = add(client, "reform-0", "https://evil.example/")

    assert response["Location"] == SELECTION


def test_the_button_on_a_cached_page_posts_with_the_visitors_own_csrf_token(studies):
    first, second = HttpsClient(enforce_csrf_checks=True), HttpsClient(enforce_csrf_checks=True)
    first.get(reverse("casestudies:list"))
    served = second.get(reverse("casestudies:list"))  # the copy built for the first visitor
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', served.content.decode()).group(1)

    response = second.post(
        ADD, {"slug": "reform-0", "csrfmiddlewaretoken": token}, headers={"Origin": "https://testserver"}
    )

    assert served["X-Page-Cache"] == "hit"
    assert response.status_code == 302


def test_one_visitors_selection_never_shows_on_anothers_cached_page(studies):
    officer, stranger = HttpsClient(), HttpsClient()
    stranger.get(reverse("casestudies:list"))  # cached now
    add(officer, "reform-0", "/case-studies/")

    officers_page = officer.get(reverse("casestudies:list"))
    strangers_page = stranger.get(reverse("casestudies:list"))

    assert "Added “Reform 0”" in officers_page.content.decode()
    assert officers_page.get("X-Page-Cache") is None  # built for the officer alone
    assert "Added “Reform 0”" not in strangers_page.content.decode()
    assert chosen(stranger) == []


@pytest.mark.parametrize("slug", ["\x00", "reform-0\x00", "a" * 300, "<script>alert(1)</script>", ""])
def test_a_slug_that_cannot_be_one_is_not_found(client, studies, slug):
    response = add(client, slug)

    assert response.status_code == 404
    assert chosen(client) == []


@pytest.mark.parametrize(
    "next_page", ["//evil.example/", "\x00/", "javascript:alert(1)", "https:evil.example"]
)
def test_a_next_page_that_is_not_one_of_ours_leads_to_the_selection(client, studies, next_page):
    response = add(client, "reform-0", next_page)

    assert response.status_code == 302
    assert response["Location"] == SELECTION


def test_a_next_page_cannot_add_a_header(client, studies):
    response = add(client, "reform-0", "/case-studies/\r\nSet-Cookie: stolen=1")

    assert "stolen" not in response.cookies
    assert "\n" not in response["Location"]


def test_the_script_is_answered_in_json_and_stays_on_the_page(client, studies):
    response = client.post(
        ADD, {"slug": "reform-0", "next": "/case-studies/"}, headers={"Accept": "application/json"}
    )

    assert response.json() == {
        "added": True,
        "count": 1,
        "full": False,
        "message": "Added “Reform 0” to your comparison (1 of 4 chosen).",
        "selection": SELECTION,
    }
    assert chosen(client) == ["Reform 0"]
