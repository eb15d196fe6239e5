import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from councils.models import CouncilType, Nation
from councils.similar import councils_like
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    mine = CouncilFactory(name="South Hams", region="South West", population=100_000)
    return {
        "mine": mine,
        "same_region": CouncilFactory(name="West Devon", region="South West", population=50_000),
        "same_size": CouncilFactory(name="Fenland", region="East of England", population=110_000),
        "neither": CouncilFactory(name="Far Away", region="North West", population=300_000),
        "other_type": CouncilFactory(
            name="Plymouth", region="South West", population=100_000, council_type=CouncilType.UNITARY
        ),
        "abolished": CouncilFactory(
            name="Old District", region="South West", population=100_000, end_date=datetime.date(2019, 3, 31)
        ),
    }


def test_a_council_is_like_mine_by_type_and_place_or_size(districts):
    found = councils_like(districts["mine"])
    names = {likeness.council.name for likeness in found.values()}

    assert names == {"West Devon", "Fenland"}
    assert (
        found[districts["same_region"].pk].explanation
        == "also a non-metropolitan district, in the South West"
    )
    assert found[districts["same_size"].pk].explanation == (
        "also a non-metropolitan district, population within 20% (110,000 against 100,000)"
    )


def test_outside_england_the_nation_is_the_place(db):
    mine = CouncilFactory(
        name="Gwynedd", nation=Nation.WALES, region="Wales", council_type="WPA", population=1
    )
    other = CouncilFactory(
        name="Conwy", nation=Nation.WALES, region="Wales", council_type="WPA", population=9
    )

    assert councils_like(mine)[other.pk].explanation == "also a welsh unitary authority, in Wales"


def test_an_abolished_council_is_compared_through_its_successors(db):
    carlisle = CouncilFactory(name="Carlisle", end_date=datetime.date(2023, 4, 1))
    cumberland = CouncilFactory(name="Cumberland", council_type=CouncilType.UNITARY, region="North West")
    carlisle.replaced_by.add(cumberland)
    westmorland = CouncilFactory(name="Westmorland", council_type=CouncilType.UNITARY, region="North West")

    found = councils_like(carlisle)

    assert list(found) == [westmorland.pk]
    assert "like Cumberland, which replaced Carlisle" in found[westmorland.pk].explanation


def test_the_list_shows_reforms_from_councils_like_mine_and_says_why(client, districts):
    CaseStudyFactory(title="West Devon reform", lead=districts["same_region"])
    CaseStudyFactory(title="Far away reform", lead=districts["neither"])
    CaseStudyFactory(title="My own reform", lead=districts["mine"])

    html = client.get(reverse("casestudies:list"), {"like": "south hams"}).content.decode()

    assert "Reforms from councils like South Hams" in html
    assert "West Devon reform" in html
    assert "Far away reform" not in html
    assert "My own reform" not in html
    assert "Like South Hams: West Devon is also a non-metropolitan district, in the South West." in html


def test_choosing_my_council_is_remembered_for_the_session(client, districts):
    response = client.post(reverse("councils:choose-mine"), {"council": "South Hams"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?like={districts['mine'].code.lower()}")
    assert client.session["my_council"] == districts["mine"].code
    assert (
        "Show reforms from councils like South Hams"
        in client.get(reverse("casestudies:list")).content.decode()
    )


def test_choosing_my_council_keeps_the_search_and_the_chip_names_the_council(client, districts):
    code = districts["mine"].code.lower()
    response = client.post(
        reverse("councils:choose-mine"),
        {"council": "South Hams", "query": "q=legal+services&status=implemented&like=xyz&page=3"},
    )

    assert response.status_code == 302
    kept = QueryDict(response["Location"].split("?", 1)[1])
    assert kept.dict() == {"q": "legal services", "status": "implemented", "like": code}
    page = client.get(response["Location"]).content.decode()
    assert 'value="legal services"' in page
    chips = page.split("Active filters", 1)[1]
    assert ": South Hams <" in chips and f": {code} <" not in chips


def test_choosing_an_unknown_council_explains(client, db):
    response = client.post(reverse("councils:choose-mine"), {"council": "Atlantis"}, follow=True)

    assert "No council is called “Atlantis”" in response.content.decode()
    assert "my_council" not in client.session


def test_choosing_my_council_needs_a_post(client, db):
    assert client.get(reverse("councils:choose-mine")).status_code == 405


def test_the_council_autocomplete_offers_names(client, districts):
    response = client.get(reverse("councils:autocomplete"), {"q": "devon"})

    assert response.json() == {"councils": [{"code": districts["same_region"].code, "name": "West Devon"}]}


def test_the_council_autocomplete_says_what_replaced_a_council_that_no_longer_exists(client, db):
    successor = CouncilFactory(name="Buckinghamshire")
    former = CouncilFactory(name="Aylesbury Vale", end_date=datetime.date(2020, 3, 31))
    former.replaced_by.set([successor])

    response = client.get(reverse("councils:autocomplete"), {"q": "aylesbury"})

    assert response.json() == {
        "councils": [{"code": former.code, "name": "Aylesbury Vale", "replaced_by": ["Buckinghamshire"]}]
    }
