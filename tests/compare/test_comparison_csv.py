"""The comparison as a CSV: the rows the page shows, a column for each case study."""

import csv
import io

import pytest
from django.urls import reverse

from casestudies.models import PublicationState
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

CSV_URL = reverse("compare:csv")


@pytest.fixture
def two():
    first = CaseStudyFactory(
        title="Shared workforce", slug="shared-workforce", lead=CouncilFactory(name="South Hams"),
        investment_gbp=500_000, annual_savings_gbp=200_000,
    )  # fmt: skip
    second = CaseStudyFactory(
        title='=HYPERLINK("https://evil.example")', slug="formula", annual_savings_gbp=None
    )
    return first, second


def table(response) -> dict[str, list[str]]:
    """Each CSV row by its first cell."""
    return {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}


def test_it_downloads_as_a_csv_file(client, two):
    response = client.get(CSV_URL, {"s": ["shared-workforce", "formula"]})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="showcase-comparison.csv"'


def test_the_same_csv_comes_from_the_page_address_with_format_csv(client, two):
    from_page = client.get(
        reverse("compare:comparison"), {"s": ["shared-workforce", "formula"], "format": "csv"}
    )
    from_file = client.get(CSV_URL, {"s": ["shared-workforce", "formula"]})

    assert from_page["Content-Type"] == "text/csv; charset=utf-8"
    assert from_page.content == from_file.content


def test_its_header_names_each_study_and_a_differs_column(client, two):
    rows = list(
        csv.reader(io.StringIO(client.get(CSV_URL, {"s": ["shared-workforce", "formula"]}).content.decode()))
    )

    assert rows[0] == ["Compared", "Shared workforce", '\'=HYPERLINK("https://evil.example")', "Differs"]
    assert rows[1] == [
        "Address",
        "https://testserver/case-studies/shared-workforce/",
        "https://testserver/case-studies/formula/",
        "",
    ]


def test_it_holds_the_rows_the_page_shows(client, two):
    rows = table(client.get(CSV_URL, {"s": ["shared-workforce", "formula"]}))

    assert rows["Cost (investment)"] == ["£500,000", "Not stated", "yes"]
    assert rows["Payback (cost ÷ recurring savings)"] == ["2.5 years", "Not stated", "yes"]
    assert rows["Status"] == ["Implemented", "Implemented", "no"]
    assert rows["Councils"][0] == "South Hams (lead council)"
    assert rows["Lessons learnt"] == ["Agree the cost split first.", "Agree the cost split first.", ""]
    assert list(rows) == [
        "Compared", "Address", "Councils", "Council type", "Population", "Reform type", "Status",
        "Started", "Cost (investment)", "Recurring savings a year", "One-off savings",
        "Payback (cost ÷ recurring savings)", "Strength of evidence", "What happened", "Lessons learnt",
        "Talk to the team",
    ]  # fmt: skip


def test_its_contact_is_the_sites_contact_form_never_an_email(client, two):
    first, _ = two
    response = client.get(CSV_URL, {"s": ["shared-workforce", "formula"]})

    assert table(response)["Talk to the team"][0] == (
        "The Head of Waste: https://testserver/case-studies/shared-workforce/contact/"
    )
    assert first.contact_email not in response.content.decode()


def test_a_study_that_is_not_public_is_never_in_it(client, two):
    CaseStudyFactory(title="Secret merger plan", slug="secret", publication_state=PublicationState.DRAFT)

    response = client.get(CSV_URL, {"s": ["shared-workforce", "secret", "formula"]})

    assert "Secret merger plan" not in response.content.decode()
    assert len(table(response)["Compared"]) == 3  # two studies and the Differs column


def test_it_is_refused_for_five_studies(client, two):
    for number in range(3):
        CaseStudyFactory(slug=f"more-{number}")

    response = client.get(CSV_URL, {"s": ["shared-workforce", "formula", "more-0", "more-1", "more-2"]})

    assert response.status_code == 400
    assert "You can compare at most 4" in response.content.decode()


def test_it_is_refused_for_fewer_than_two_public_studies(client, two):
    CaseStudyFactory(slug="secret", publication_state=PublicationState.DRAFT)

    response = client.get(CSV_URL, {"s": ["shared-workforce", "secret"]})

    assert response.status_code == 400
    assert "No published case study has the address “secret”" in response.content.decode()
