"""Find your council: by any name the register knows, by postcode once a postcode
directory is loaded, and choosing it for "councils like mine"."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from councils.models import CouncilAlias
from tests.councils.onspd import onspd_row, write_onspd
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.helpers import HttpsClient
from tests.hostile.corpus import HOSTILE

pytestmark = pytest.mark.django_db

DIRECTORY = "/councils/"


def text_of(response) -> str:
    """What a person reads: the page without its tags, spaces run together."""
    return " ".join(strip_tags(response.content.decode()).split())


def listed(response) -> list[str]:
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def register(register_csv):
    call_command("import_councils", str(register_csv), stdout=io.StringIO())


@pytest.fixture
def devon():
    county = CouncilFactory(
        code="DEV", name="Devon", official_name="Devon County Council", gss_code="E10000008"
    )
    return CouncilFactory(
        code="SHA",
        name="South Hams",
        official_name="South Hams District Council",
        gss_code="E07000044",
        county=county,
    )


@pytest.fixture
def postcodes(tmp_path, devon):
    path = write_onspd(
        tmp_path / "onspd.csv",
        [onspd_row("TQ9 5NE", "E07000044"), onspd_row("TQ9 5XX", "E07000044", doterm="201104")],
    )
    call_command("import_postcodes", str(path), stdout=io.StringIO(), stderr=io.StringIO())


# By name


def test_a_council_is_found_by_another_name_the_register_gives_it(client, register):
    found = client.get(DIRECTORY, {"name": "Caerdydd"})

    assert listed(found) == ["Cardiff"]


def test_a_council_that_no_longer_exists_leads_to_its_successor_saying_so(client, register):
    found = client.get(DIRECTORY, {"name": "Aylesbury Vale"})

    assert "Buckinghamshire" in listed(found)
    assert "Aylesbury Vale District Council was replaced by Buckinghamshire Council in 2020." in text_of(
        found
    )


def test_a_former_name_leads_to_its_successor_through_the_register_lookup(client):
    successor = CouncilFactory(name="New Shire", official_name="New Shire Council")
    former = CouncilFactory(
        name="Old Shire", official_name="Old Shire District Council", end_date=datetime.date(2019, 3, 31)
    )
    former.replaced_by.set([successor])
    CouncilAlias.objects.create(council=former, name="Shire of Old")

    found = client.get(DIRECTORY, {"name": "shire of old"})

    assert listed(found) == ["New Shire"]
    assert "Old Shire District Council was replaced by New Shire Council in 2019." in text_of(found)


def test_a_current_council_found_by_name_says_nothing_about_replacements(client, register):
    found = client.get(DIRECTORY, {"name": "Harrow"})

    assert listed(found) == ["Harrow"]
    assert "was replaced by" not in text_of(found)


# By postcode


def test_without_postcode_data_there_is_no_postcode_box(client, devon):
    page = client.get(DIRECTORY).content.decode()

    assert 'name="postcode"' not in page
    assert "Find your council by postcode" not in page


def test_without_postcode_data_a_postcode_in_the_address_is_ignored(client, devon):
    found = client.get(DIRECTORY, {"postcode": "TQ9 5NE"})

    assert found.status_code == 200
    assert "govuk-error-summary" not in found.content.decode()


def test_the_postcode_box_appears_once_postcodes_are_loaded(client, devon, tmp_path):
    before = client.get(DIRECTORY)
    assert client.get(DIRECTORY)["X-Page-Cache"] == "hit"  # the page without the box is cached

    call_command(
        "import_postcodes",
        str(write_onspd(tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044")])),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    after = client.get(DIRECTORY)

    assert 'name="postcode"' not in before.content.decode()
    assert 'name="postcode"' in after.content.decode()


def test_a_postcode_finds_its_council_and_the_county_above_it(client, postcodes):
    found = client.get(DIRECTORY, {"postcode": "tq95ne"})

    assert listed(found) == ["Devon", "South Hams"]
    assert "TQ9 5NE is in the area of Devon County Council and South Hams District Council." in text_of(found)


def test_a_postcode_of_a_council_since_replaced_leads_to_its_successor(client, tmp_path):
    successor = CouncilFactory(name="New Shire", official_name="New Shire Council")
    former = CouncilFactory(
        name="Old Shire",
        official_name="Old Shire District Council",
        gss_code="E07000999",
        end_date=datetime.date(2019, 3, 31),
    )
    former.replaced_by.set([successor])
    path = write_onspd(tmp_path / "onspd.csv", [onspd_row("EX1 1AA", "E07000999")])
    call_command("import_postcodes", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    found = client.get(DIRECTORY, {"postcode": "EX1 1AA"})

    assert listed(found) == ["New Shire"]
    assert "Old Shire District Council was replaced by New Shire Council in 2019." in text_of(found)


def test_a_badly_formed_postcode_is_an_error_naming_the_box(client, postcodes):
    found = client.get(DIRECTORY, {"postcode": "TQ9"})
    page = found.content.decode()

    assert found.status_code == 200
    assert "Enter a full postcode in the Postcode box, like SW1A 1AA" in page
    assert '<a href="#id_postcode">Enter a full postcode' in page  # the error summary leads to the box
    assert 'id="id_postcode-error"' in page
    assert "<title>Error: Councils" in page


def test_a_postcode_not_in_the_directory_is_an_error_naming_the_box(client, postcodes):
    found = client.get(DIRECTORY, {"postcode": "tq9 5xx"})  # terminated in 2011

    assert "We do not know the postcode TQ9 5XX: check the Postcode box" in text_of(found)
    assert "is in the area of" not in text_of(found)


def test_the_postcode_box_takes_any_text(client, postcodes):
    for name, value in HOSTILE:
        response = client.get(DIRECTORY, {"postcode": value})
        assert response.status_code == 200, name
        assert "<script>alert(1)" not in response.content.decode(), name


# Choosing it


def test_this_is_my_council_is_on_every_council_page_alike(client, devon):
    first = client.get(devon.get_absolute_url())
    again = client.get(devon.get_absolute_url())

    assert again["X-Page-Cache"] == "hit"
    assert 'value="SHA"' in again.content.decode()
    assert "This is my council" in first.content.decode()


def test_choosing_a_council_remembers_it_and_shows_councils_like_it(client, devon):
    CaseStudyFactory(title="A reform from a council like South Hams", lead=CouncilFactory(name="Mid Shire"))

    chosen = client.post(reverse("councils:choose-mine"), {"council": "SHA"})
    shelves = client.get(chosen["Location"])

    assert chosen["Location"] == reverse("casestudies:list") + "?like=sha"
    assert "Reforms from councils like South Hams" in text_of(shelves)
    assert "A reform from a council like South Hams" in text_of(shelves)
    assert client.session["my_council"] == "SHA"


def test_the_remembered_council_feeds_councils_like_mine_on_later_searches(client, devon):
    client.post(reverse("councils:choose-mine"), {"council": "SHA"})

    later = client.get(reverse("casestudies:list"), {"q": "libraries"})

    assert "Show reforms from councils like South Hams" in text_of(later)


def test_an_officer_starts_from_the_council_they_are_a_member_of(devon):
    officer = HttpsClient()
    officer.force_login(officer_of(devon, "officer@southhams.gov.uk"))

    shelves = officer.get(reverse("casestudies:list"))

    assert "Show reforms from councils like South Hams" in text_of(shelves)


def test_an_officer_who_chooses_another_council_is_shown_their_choice(devon):
    officer = HttpsClient()
    officer.force_login(officer_of(devon, "officer@southhams.gov.uk"))
    neighbour = CouncilFactory(code="WDE", name="West Devon")

    officer.post(reverse("councils:choose-mine"), {"council": neighbour.code})
    shelves = officer.get(reverse("casestudies:list"))

    assert "Show reforms from councils like West Devon" in text_of(shelves)


def test_a_chosen_council_is_not_shown_to_the_next_visitor(client, devon):
    client.post(reverse("councils:choose-mine"), {"council": "SHA"})

    next_visitor = HttpsClient().get(reverse("casestudies:list"))

    assert "councils like South Hams" not in text_of(next_visitor)
