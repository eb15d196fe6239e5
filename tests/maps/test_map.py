import re
from decimal import Decimal

import pytest
from django.urls import reverse

from casestudies.models import Adoption, AdoptionState, DeliveryStatus, PublicationState
from maps.outline import outline_file
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

MAP = reverse("maps:map")


def placed(name: str, latitude: str, longitude: str, **kwargs):
    return CouncilFactory(name=name, latitude=Decimal(latitude), longitude=Decimal(longitude), **kwargs)


def list_item(content: bytes, council) -> str:
    """What the accessible list says of ``council``, as text."""
    match = re.search(
        rf'<li class="app-map__list-item" id="council-{council.code.lower()}">(.*?)</li>',
        content.decode(),
        re.S,
    )
    assert match, f"{council.name} is not in the list"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def circles(content: bytes) -> dict[str, dict]:
    """Each council's circle on the map, by the name its title gives, with its link and size."""
    svg = re.search(rb'<svg class="app-map__svg".*?</svg>', content, re.S).group(0).decode()
    found = {}
    circle = r'<a class="app-map__council" href="([^"]*)" data-council="[a-z0-9]+">'
    for href, title, radius in re.findall(circle + r'<title>([^<]*)</title><circle [^>]*r="([0-9.]+)"', svg):
        found[title.split(":")[0]] = {"href": href.replace("&amp;", "&"), "title": title, "r": float(radius)}
    return found


def adopted(study, council) -> Adoption:
    return Adoption.objects.create(
        case_study=study, council=council, adopted_year=2020, changes="Copied the depot deal.",
        status=DeliveryStatus.IMPLEMENTED, outcomes="Saved money.", state=AdoptionState.APPROVED,
    )  # fmt: skip


@pytest.fixture
def shelf():
    """South Hams leads one and partners another; West Devon leads the second; Exeter adopted the first."""
    south_hams = placed("South Hams", "50.37", "-3.78")
    west_devon = placed("West Devon", "50.65", "-4.10")
    exeter = placed("Exeter", "50.72", "-3.53")
    depot = CaseStudyFactory(title="One depot", lead=south_hams)
    workforce = CaseStudyFactory(title="One workforce", lead=west_devon, partners_councils=[south_hams])
    adopted(depot, exeter)
    return {
        "south_hams": south_hams,
        "west_devon": west_devon,
        "exeter": exeter,
        "depot": depot,
        "workforce": workforce,
    }


def test_it_lists_each_council_with_how_many_case_studies_and_in_which_roles(client, shelf):
    content = client.get(MAP).content

    assert (
        list_item(content, shelf["south_hams"])
        == "South Hams : 2 case studies from South Hams (led 1, partner in 1)"
    )
    assert list_item(content, shelf["west_devon"]) == "West Devon : 1 case study from West Devon (led 1)"
    assert list_item(content, shelf["exeter"]) == "Exeter : 1 case study from Exeter (adopted 1)"


def test_it_draws_a_circle_for_each_council_titled_with_its_counts(client, shelf):
    drawn = circles(client.get(MAP).content)

    assert sorted(drawn) == ["Exeter", "South Hams", "West Devon"]
    assert drawn["South Hams"]["title"] == "South Hams: 2 case studies (led 1, partner in 1)"


def test_it_says_how_many_case_studies_and_councils_it_shows(client, shelf):
    assert b"2 case studies from 3 councils." in client.get(MAP).content


def test_a_circle_has_an_area_in_proportion_to_its_case_studies(client):
    busy, quiet = placed("Busy", "52.0", "-1.0"), placed("Quiet", "53.0", "-2.0")
    for _ in range(4):
        CaseStudyFactory(lead=busy)
    CaseStudyFactory(lead=quiet)

    drawn = circles(client.get(MAP).content)

    assert drawn["Busy"]["r"] ** 2 == pytest.approx(4 * drawn["Quiet"]["r"] ** 2)


@pytest.mark.parametrize(
    "state",
    [
        PublicationState.DRAFT,
        PublicationState.SUBMITTED,
        PublicationState.REJECTED,
        PublicationState.ARCHIVED,
    ],
)
def test_it_counts_no_case_study_that_is_not_published(client, shelf, state):
    hidden = placed("Hidden Vale", "51.0", "-2.5")
    CaseStudyFactory(lead=hidden, partners_councils=[shelf["west_devon"]], publication_state=state)
    content = client.get(MAP).content

    assert b"Hidden Vale" not in content
    assert list_item(content, shelf["west_devon"]) == "West Devon : 1 case study from West Devon (led 1)"


def test_an_adoption_not_yet_approved_is_not_counted(client, shelf):
    waiting = placed("Torbay", "50.46", "-3.53")
    adoption = adopted(shelf["workforce"], waiting)
    adoption.state = AdoptionState.SUBMITTED
    adoption.save()

    assert b"Torbay" not in client.get(MAP).content


def test_filters_narrow_the_map(client, shelf):
    oldham = placed("Oldham", "53.54", "-2.11")
    CaseStudyFactory(lead=oldham, reform_type_slugs=["co-operative-council"])
    content = client.get(MAP, {"reform_type": "co-operative-council"}).content

    assert sorted(circles(content)) == ["Oldham"]
    assert b"1 case study from 1 council." in content


def test_a_search_narrows_the_map(client, shelf):
    content = client.get(MAP, {"q": "workforce"}).content

    assert sorted(circles(content)) == ["South Hams", "West Devon"]


def test_invalid_filters_are_explained_and_ignored(client, shelf):
    response = client.get(MAP, {"reform_type": "nonsense", "evidence": "abc"})

    assert response.status_code == 200
    assert b"Some filters could not be used" in response.content
    assert b"nonsense is not one of the available choices" in response.content
    assert sorted(circles(response.content)) == ["Exeter", "South Hams", "West Devon"]


def test_an_error_links_to_the_filter_on_the_list_page(client, shelf):
    content = client.get(MAP, {"reform_type": "nonsense"}).content.decode()

    assert 'href="/case-studies/?reform_type=nonsense#filter-reform_type-0"' in content


def test_a_council_on_the_map_leads_to_its_case_studies_keeping_the_filters(client, shelf):
    drawn = circles(client.get(MAP, {"theme": "waste-and-environment", "page": "2"}).content)
    href = drawn["West Devon"]["href"]

    assert href == f"/case-studies/?theme=waste-and-environment&council={shelf['west_devon'].code.lower()}"
    listed = client.get(href).content
    assert b"One workforce" in listed
    assert b"One depot" not in listed


def test_the_list_links_each_council_to_its_page(client, shelf):
    content = client.get(MAP).content.decode()

    assert f'href="{shelf["exeter"].get_absolute_url()}">Exeter</a>' in content


def test_a_council_the_register_gives_no_place_is_listed_but_not_drawn(client):
    nowhere = CouncilFactory(name="Nowhere", latitude=None, longitude=None)
    CaseStudyFactory(lead=nowhere)
    content = client.get(MAP).content

    assert circles(content) == {}
    assert list_item(content, nowhere).endswith("Not on the map: the register gives no location.")


def test_nothing_matching_says_so(client, shelf):
    content = client.get(MAP, {"q": "submarine"}).content

    assert b"there are no councils to show" in content
    assert circles(content) == {}


def test_the_map_needs_nothing_from_another_site(client, shelf):
    content = client.get(MAP).content.decode()
    svg = re.search(r'<svg class="app-map__svg".*?</svg>', content, re.S).group(0)

    assert not re.search(r"https?://|//[a-z]", svg)
    # Nothing the page loads (scripts, styles, images) comes from anywhere else.
    loaded = re.findall(r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="([^"]*)"', content)
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


def test_the_map_draws_the_coastline_built_from_natural_earth(client, shelf):
    assert outline_file().exists(), "make assets builds the outline"
    content = client.get(MAP).content.decode()

    assert re.search(r'<path d="M[0-9.]+,[0-9.]+L', content)
    assert "Natural Earth 1:50m countries (public domain), from world-atlas 2.0.2" in content


def test_a_tile_server_is_offered_to_scripts_only_when_set(client, shelf, settings):
    assert "data-tile-url" not in client.get(MAP).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"

    assert (
        'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"'
        in client.get(MAP, {"q": "new"}).content.decode()
    )


def test_the_case_study_list_offers_its_results_on_a_map(client, shelf):
    content = client.get(reverse("casestudies:list"), {"theme": "waste-and-environment"}).content.decode()

    assert (
        '<a class="govuk-link" id="show-on-map" href="/map/?theme=waste-and-environment">Show on a map</a>'
        in content
    )


def test_an_anonymous_visitor_is_served_the_map_from_the_page_cache(client, shelf):
    first, again = client.get(MAP), client.get(MAP)

    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")


def test_a_newly_published_case_study_shows_at_once_despite_the_cache(client, shelf):
    client.get(MAP)
    CaseStudyFactory(lead=placed("Torridge", "51.0", "-4.2"))

    assert b"Torridge" in client.get(MAP).content


@pytest.mark.parametrize("count", [3, 30])
def test_the_map_costs_the_same_queries_for_3_or_30_councils(client, count, no_page_cache):
    for number in range(count):
        council = placed(f"Council {number}", "52.0", "-1.5")
        study = CaseStudyFactory(lead=council, partners_councils=[CouncilFactory()])
        adopted(study, CouncilFactory())

    # The service areas are read once, to check the theme asked for and to name it among the filters in use.
    assert count_queries(client, f"{MAP}?theme=waste-and-environment") == 6
