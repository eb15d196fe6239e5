"""The shelves in figures (/figures/): the numbers a person reads on the page and
downloads, for a small shelf whose answers are known."""

import csv
import io
import re

import pytest
from django.urls import reverse

from casestudies.models import PublicationState, ReformType
from casestudies.shelf_version import shelves_changed
from councils.models import CouncilType, Nation
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

FIGURES = reverse("figures:page")


def csv_rows(client, slug: str, query: str = "") -> list[dict[str, str]]:
    response = client.get(reverse("figures:csv", args=[slug]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def by_first_column(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {next(iter(row.values())): row for row in rows}


@pytest.fixture
def shelf():
    """Three published case studies from three councils, and two that are not public."""
    england = CouncilFactory(name="Exmoor")
    wales = CouncilFactory(
        name="Gwynedd", nation=Nation.WALES, region="Wales", council_type=CouncilType.WELSH_UNITARY
    )
    scotland = CouncilFactory(
        name="Fife", nation=Nation.SCOTLAND, region="Scotland", council_type=CouncilType.SCOTTISH_UNITARY
    )
    CaseStudyFactory(
        title="Shared legal team", lead=england, partners_councils=[wales],
        reform_type_slugs=["shared-services"],
        annual_savings_gbp=100_000, one_off_savings_gbp=20_000, started_year=2019, status="implemented",
        evidence_level=2,
    )  # fmt: skip
    CaseStudyFactory(
        title="Care front door", lead=wales, reform_type_slugs=["shared-services", "demand-management"],
        annual_savings_gbp=50_000, started_year=2019, status="stopped", evidence_level=3,
    )  # fmt: skip
    CaseStudyFactory(
        title="Library hubs", lead=scotland, partners_councils=[england],
        reform_type_slugs=["shared-services"],
        started_year=2021, status="pilot", evidence_level=None,
    )  # fmt: skip
    ulster = CouncilFactory(
        name="Ulster", nation=Nation.NORTHERN_IRELAND, region="Northern Ireland",
        council_type=CouncilType.NORTHERN_IRELAND_DISTRICT,
    )  # fmt: skip
    for state in [PublicationState.DRAFT, PublicationState.ARCHIVED]:
        CaseStudyFactory(
            title=f"Not public ({state})", lead=ulster,
            reform_type_slugs=["shared-services", "trading-company"],
            annual_savings_gbp=9_000_000, one_off_savings_gbp=1_000_000, started_year=2019, status="stopped",
            evidence_level=5, publication_state=state, published_at=None,
        )  # fmt: skip


def reform_type(slug: str) -> str:
    return ReformType.objects.get(slug=slug).name


def test_it_adds_up_only_the_savings_case_studies_stated_by_reform_type(client, shelf):
    rows = by_first_column(csv_rows(client, "savings-by-reform-type"))

    shared = rows[reform_type("shared-services")]
    assert shared["Case studies"] == "3"
    assert shared["Recurring savings a year"] == "150000"
    assert shared["Stating a recurring saving"] == "2"
    assert shared["One-off savings"] == "20000"
    assert shared["Stating a one-off saving"] == "1"


def test_it_says_how_many_case_studies_of_each_reform_type_stated_no_savings(client, shelf):
    rows = by_first_column(csv_rows(client, "savings-by-reform-type"))

    assert rows[reform_type("shared-services")]["Stating no savings"] == "1"
    assert rows[reform_type("demand-management")]["Stating no savings"] == "0"
    # Nobody stated a one-off saving for demand management: no figure, rather than £0.
    assert rows[reform_type("demand-management")]["One-off savings"] == ""


def test_the_total_counts_each_case_study_once_however_many_reform_types_it_has(client, shelf):
    total = by_first_column(csv_rows(client, "savings-by-reform-type"))["All case studies on this shelf"]

    assert total["Case studies"] == "3"
    assert total["Recurring savings a year"] == "150000"
    assert total["Stating no savings"] == "1"


def test_the_page_says_what_the_savings_total_includes(client, shelf):
    page = client.get(FIGURES).content.decode()

    assert "£150,000 a year from the 2 case studies that stated a recurring saving" in page
    assert "£20,000 one-off from the 1 case study that stated a one-off saving" in page
    assert "1 of the 3 case studies stated no savings" in page
    assert "3 case studies, 1 stated no savings" in page  # under the shared services bars


def test_the_page_says_case_studies_of_no_reform_type_count_only_in_the_total(client, shelf):
    CaseStudyFactory(annual_savings_gbp=7).reform_types.clear()

    total = by_first_column(csv_rows(client, "savings-by-reform-type"))["All case studies on this shelf"]

    assert total["Recurring savings a year"] == "150007"
    assert "1 case study with no reform type counts only in the total" in client.get(FIGURES).content.decode()


def test_case_studies_that_are_not_public_are_not_counted(client, shelf):
    savings = by_first_column(csv_rows(client, "savings-by-reform-type"))
    nations = by_first_column(csv_rows(client, "councils-by-nation"))
    page = client.get(FIGURES).content.decode()

    assert reform_type("trading-company") not in savings
    assert nations["Northern Ireland"]["Councils"] == "0"
    assert "Ulster" not in page and "£9,000,000" not in page
    assert "3 published case studies" in page


def test_it_counts_case_studies_by_start_year_and_status_including_stopped_ones(client, shelf):
    years = by_first_column(csv_rows(client, "case-studies-by-start-year"))

    assert years["2019"] == {
        "Year started": "2019", "Planned": "0", "Pilot": "0", "Implemented": "1", "Scaled up": "0",
        "Stopped": "1", "All": "2",
    }  # fmt: skip
    assert years["2021"]["Pilot"] == "1"
    assert years["All years"]["All"] == "3"


def test_case_studies_that_gave_no_start_year_are_counted_apart(client, shelf):
    CaseStudyFactory(started_year=None, status="planned")

    years = by_first_column(csv_rows(client, "case-studies-by-start-year"))

    assert list(years) == ["2019", "2021", "Year not given", "All years"]
    assert years["Year not given"]["Planned"] == "1"


def test_it_counts_evidence_levels_with_what_each_means(client, shelf):
    levels = by_first_column(csv_rows(client, "evidence-levels"))

    assert levels["Level 2: data shows positive change"]["Case studies"] == "1"
    assert levels["Level 3: a comparison shows it caused the change"]["Case studies"] == "1"
    assert levels["Level 5: proven to work when repeated elsewhere"]["Case studies"] == "0"
    assert levels["No level given"]["Case studies"] == "1"
    assert (
        "control or comparison group"
        in levels["Level 3: a comparison shows it caused the change"]["What it means"]
    )


def test_it_counts_each_council_taking_part_once_by_nation_and_by_type(client, shelf):
    nations = by_first_column(csv_rows(client, "councils-by-nation"))
    types = by_first_column(csv_rows(client, "councils-by-type"))

    # Exmoor leads one case study and is a partner in another: counted once.
    assert {name: row["Councils"] for name, row in nations.items()} == {
        "England": "1", "Scotland": "1", "Wales": "1", "Northern Ireland": "0", "All councils": "3",
    }  # fmt: skip
    assert {name: row["Councils"] for name, row in types.items()} == {
        "Non-metropolitan district": "1", "Scottish unitary authority": "1", "Welsh unitary authority": "1",
        "All councils": "3",
    }  # fmt: skip


def test_the_filters_narrow_the_figures(client, shelf):
    query = "?reform_type=demand-management"
    nations = by_first_column(csv_rows(client, "councils-by-nation", query))
    total = by_first_column(csv_rows(client, "savings-by-reform-type", query))[
        "All case studies on this shelf"
    ]

    assert nations["Wales"]["Councils"] == "1"
    assert nations["England"]["Councils"] == "0"
    assert total["Recurring savings a year"] == "50000"
    assert "1 published case study" in client.get(FIGURES + query).content.decode()


def test_the_search_words_narrow_the_figures(client, shelf):
    years = by_first_column(csv_rows(client, "case-studies-by-start-year", "?q=library"))

    assert list(years) == ["2021", "All years"]


def test_invalid_filters_are_explained_and_ignored(client, shelf):
    response = client.get(FIGURES + "?evidence=abc&reform_type=demand-management")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Some filters could not be used" in page
    assert re.search(r'<a href="/case-studies/\?[^"]*#filter-evidence-0">Select a valid choice', page)
    assert "1 published case study" in page  # the reform type still applies


def test_a_spreadsheet_never_runs_a_name_as_a_formula(client, shelf):
    ReformType.objects.create(slug="formula", name="=HYPERLINK(1)")
    CaseStudyFactory(reform_type_slugs=["formula"])

    names = [row["Reform type"] for row in csv_rows(client, "savings-by-reform-type")]

    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names


def test_an_unknown_figure_has_no_download(client, shelf):
    assert client.get(reverse("figures:csv", args=["passwords"])).status_code == 404


def test_the_page_shows_each_chart_with_its_table_and_download(client, shelf):
    page = client.get(FIGURES + "?status=stopped").content.decode()

    assert page.count('role="img"') == 5
    for caption in re.findall(r'aria-labelledby="(chart-[\w-]+-caption)"', page):
        assert f'id="{caption}"' in page
    assert page.count('<table class="govuk-table app-table--stack"') == 5
    assert 'href="/figures/evidence-levels.csv?status=stopped"' in page
    assert " style=" not in page  # the Content Security Policy allows no inline styles


def test_a_shelf_with_nothing_on_it_says_so(client, shelf):
    response = client.get(FIGURES + "?q=submarine")
    page = response.content.decode()

    assert response.status_code == 200
    assert "0 published case studies" in page
    # Savings, years and types of council show only what there is; levels and nations show every one.
    assert page.count("Nothing to show: no case studies match.") == 3
    assert "No case studies match." in page


def test_the_list_links_to_its_shelf_in_figures(client, shelf):
    page = client.get(
        reverse("casestudies:list") + "?reform_type=shared-services&status=pilot"
    ).content.decode()

    assert 'href="/figures/?reform_type=shared-services&amp;status=pilot">This shelf in figures' in page


def test_anonymous_visitors_are_served_the_cached_page(client, shelf):
    client.get(FIGURES)

    assert client.get(FIGURES)["X-Page-Cache"] == "hit"


def test_a_publish_changes_the_cached_figures(client, shelf):
    client.get(FIGURES)
    CaseStudyFactory(started_year=2024)
    shelves_changed()

    assert "4 published case studies" in client.get(FIGURES).content.decode()


def _cost(client, address: str) -> int:
    client.get(address)  # what each process reads once is read
    shelves_changed()  # nothing cached about the shelves is used again
    return count_queries(client, address)


# Query string -> queries: the figures' own six, the vocabularies the filters name, and what a search
# reads to decide its matches (it does not rank them), including how many case studies use each of its
# words and, first after a change, how many are public (search.usage; tests/test_query_budgets.py).
BUDGETS = {"": 8, "?reform_type=shared-services&evidence=2": 9, "?q=shared+legal": 16}


@pytest.mark.parametrize("query", list(BUDGETS))
def test_the_figures_cost_the_same_number_of_queries_however_big_the_shelf(
    client, shelf, no_page_cache, query
):
    before = _cost(client, FIGURES + query)
    more = [CouncilFactory() for _ in range(5)]
    for year in range(2000, 2012):
        CaseStudyFactory(started_year=year, partners_councils=more[: year % 5], annual_savings_gbp=year)

    assert _cost(client, FIGURES + query) == before
    assert before <= BUDGETS[query], before
