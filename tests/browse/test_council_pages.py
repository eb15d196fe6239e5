import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import PublicationState
from councils.models import Council, CouncilType, Nation
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def test_the_directory_lists_current_councils_with_their_case_study_counts(client):
    lead = CouncilFactory(name="South Hams")
    CaseStudyFactory(lead=lead)
    CaseStudyFactory(lead=lead, publication_state=PublicationState.DRAFT, published_at=None)
    CouncilFactory(name="Old Shire", end_date=datetime.date(2019, 3, 31))

    response = client.get(reverse("councils:directory"))
    html = response.content.decode()

    assert "South Hams</a>" in html
    assert "Old Shire" not in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Case studies">1</td>' in html


def test_the_directory_finds_by_name_nation_and_type(client):
    CouncilFactory(
        name="Gwynedd", nation=Nation.WALES, region="Wales", council_type=CouncilType.WELSH_UNITARY
    )
    CouncilFactory(name="Oldham", council_type=CouncilType.METROPOLITAN_DISTRICT, region="North West")

    by_nation = client.get(reverse("councils:directory") + "?nation=Wales").content.decode()
    by_type = client.get(reverse("councils:directory") + "?council_type=MD").content.decode()
    by_name = client.get(reverse("councils:directory") + "?name=oldh").content.decode()

    assert "Gwynedd" in by_nation and "Oldham" not in by_nation
    assert "Oldham" in by_type and "Gwynedd" not in by_type
    assert "Oldham" in by_name and "Gwynedd" not in by_name


def test_the_directory_finds_a_council_by_its_official_name(client):
    harrow = CouncilFactory(name="Harrow", official_name="London Borough of Harrow")
    CouncilFactory(name="Brent", official_name="London Borough of Brent")

    found = client.get(reverse("councils:directory"), {"name": "London Borough of Harrow"}).content.decode()

    assert f'href="{harrow.get_absolute_url()}"' in found and "Brent" not in found


def test_a_search_for_a_council_by_any_of_its_names_leads_to_its_page(client, register_csv):
    call_command("import_councils", str(register_csv), stdout=io.StringIO())
    harrow = Council.objects.get(code="HRW")

    for typed in ["London Borough of Harrow", "harrow london boro", "Harrow"]:
        page = client.get(reverse("casestudies:list"), {"q": typed}).content.decode()
        assert f'href="{harrow.get_absolute_url()}"' in page, typed


def test_the_directory_can_include_abolished_councils(client):
    CouncilFactory(name="Old Shire", end_date=datetime.date(2019, 3, 31))

    response = client.get(reverse("councils:directory") + "?include_abolished=on")

    assert b"Old Shire" in response.content
    assert b"Abolished" in response.content


@pytest.mark.parametrize("count", [5, 50])
def test_the_directory_costs_the_same_queries_for_5_or_50_councils(client, count, no_page_cache):
    for _ in range(count):
        CaseStudyFactory()

    # The councils, their count, and whether there are postcodes for the postcode box.
    assert count_queries(client, reverse("councils:directory")) == 3


def test_a_council_page_shows_what_it_led_and_joined(client):
    council = CouncilFactory(name="South Hams", population=87946)
    CaseStudyFactory(title="Led reform", lead=council)
    CaseStudyFactory(title="Joined reform", partners_councils=[council])
    CaseStudyFactory(title="Hidden draft", lead=council, publication_state="draft", published_at=None)

    response = client.get(council.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    led_section, joined_section = html.split("Reforms it joined as a partner")
    assert "Led reform" in led_section and "Joined reform" not in led_section
    assert "Joined reform" in joined_section
    assert "Hidden draft" not in html
    assert "87,946" in html


def test_a_council_page_shows_the_newest_ten_it_led_and_links_to_the_rest(client):
    council = CouncilFactory(name="South Hams")
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for month in range(12):
        CaseStudyFactory(
            title=f"Reform of month {month + 1}", lead=council, published_at=start.replace(month=month + 1)
        )

    html = client.get(council.get_absolute_url()).content.decode()
    led_section = html.split("Reforms it joined as a partner")[0]

    assert all(f"Reform of month {month}<" in led_section for month in range(3, 13))
    assert "Reform of month 1<" not in led_section and "Reform of month 2<" not in led_section
    assert "The newest 10 of 12." in led_section
    assert f'href="/case-studies/?council={council.code.lower()}"' in led_section


def test_an_abolished_council_says_so_and_links_to_its_successors(client):
    successor = CouncilFactory(name="Buckinghamshire", code="BUC")
    county = CouncilFactory(name="Buckinghamshire County", end_date=datetime.date(2020, 3, 31))
    county.replaced_by.add(successor)

    html = client.get(county.get_absolute_url()).content.decode()
    successor_html = client.get(successor.get_absolute_url()).content.decode()

    assert "This council was abolished on 31 March 2020" in html
    assert 'href="/councils/buc/">Buckinghamshire</a>' in html
    assert "Took over from" in successor_html
    assert county.get_absolute_url() in successor_html


def test_a_council_page_links_its_county_and_combined_authority(client):
    county = CouncilFactory(name="Devon", council_type=CouncilType.COUNTY)
    combined = CouncilFactory(name="Greater Devon CA", council_type=CouncilType.COMBINED_AUTHORITY)
    district = CouncilFactory(name="South Hams", county=county, combined_authority=combined)

    html = client.get(district.get_absolute_url()).content.decode()
    county_html = client.get(county.get_absolute_url()).content.decode()

    assert f'href="{county.get_absolute_url()}">Devon</a>' in html
    assert f'href="{combined.get_absolute_url()}">Greater Devon CA</a>' in html
    assert "District councils in this county" in county_html and "South Hams" in county_html


def test_an_upper_case_code_redirects_to_the_lower_case_address(client):
    council = CouncilFactory(code="SHA")

    response = client.get("/councils/SHA/")

    assert response.status_code == 301
    assert response["Location"] == council.get_absolute_url()


def test_an_unknown_code_is_not_found(client):
    assert client.get("/councils/zzz/").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_a_council_page_costs_the_same_queries_for_5_or_50_case_studies(client, count, no_page_cache):
    council = CouncilFactory()
    for _ in range(count):
        CaseStudyFactory(lead=council, partners_councils=[CouncilFactory()])

    # With what it adopted, and the newest of what it led and joined (their ids, then the case studies
    # with their councils and reform types, the terms its cards name).
    assert count_queries(client, council.get_absolute_url()) == 10
