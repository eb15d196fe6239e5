"""The comparison page: two to four published case studies side by side, worked
out from its address alone."""

import re

import pytest
from django.urls import reverse

from casestudies.models import PublicationState
from compare.comparison import payback_text
from councils.models import CouncilType
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

URL = reverse("compare:comparison")


@pytest.fixture
def two():
    south_hams = CouncilFactory(name="South Hams", population=88000)
    oldham = CouncilFactory(name="Oldham", council_type=CouncilType.METROPOLITAN_DISTRICT, population=237000)
    shared = CaseStudyFactory(
        title="Shared workforce", slug="shared-workforce", lead=south_hams, investment_gbp=500_000,
        annual_savings_gbp=200_000, one_off_savings_gbp=None, evidence_level=2, started_year=2007,
        contact_role="Head of Paid Service", lessons="Agree the **cost split** first.",
    )  # fmt: skip
    cooperative = CaseStudyFactory(
        title="Co-operative council", slug="co-operative-council", lead=oldham, investment_gbp=None,
        annual_savings_gbp=1_000_000, evidence_level=2, started_year=2011, status="scaled",
    )  # fmt: skip
    return shared, cooperative


def row(response, key: str) -> str:
    """The text of one group of rows of the comparison, tags and spacing aside."""
    html = response.content.decode()
    match = re.search(rf'<tbody[^>]*id="row-{key}".*?</tbody>', html, re.S)
    assert match, key
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def compare(client, *slugs: str, **extra):
    return client.get(URL, {"s": list(slugs), **extra})


def test_it_shows_each_study_in_the_order_the_address_names_them(client, two):
    response = compare(client, "co-operative-council", "shared-workforce")

    titles = re.findall(
        r'id="study-\d"[^>]*>\s*<a class="govuk-link" href="[^"]+">([^<]+)</a>', response.content.decode()
    )
    assert response.status_code == 200
    assert titles == ["Co-operative council", "Shared workforce"]


def test_it_aligns_councils_with_their_type_and_population(client, two):
    response = compare(client, "shared-workforce", "co-operative-council")

    assert "South Hams (lead council)" in row(response, "councils")
    assert "South Hams: Non-metropolitan district" in row(response, "council_type")
    assert "Oldham: Metropolitan district" in row(response, "council_type")
    assert "South Hams: 88,000" in row(response, "population")
    assert "Oldham: 237,000" in row(response, "population")


def test_it_shows_cost_savings_and_payback_where_both_are_stated(client, two):
    response = compare(client, "shared-workforce", "co-operative-council")

    assert row(response, "cost") == "Cost (investment) Differs £500,000 Not stated"
    assert row(response, "annual_savings") == "Recurring savings a year Differs £200,000 £1,000,000"
    assert row(response, "one_off_savings") == "One-off savings Same for all Not stated Not stated"
    assert row(response, "payback") == "Payback (cost ÷ recurring savings) Differs 2.5 years Not stated"


def test_it_says_in_words_which_rows_differ_and_which_are_the_same(client, two):
    response = compare(client, "shared-workforce", "co-operative-council")

    assert row(response, "status").startswith("Status Differs Implemented Scaled up")
    assert row(response, "evidence").startswith("Strength of evidence Same for all Level 2 of 5")


def test_it_explains_the_evidence_level(client, two):
    response = compare(client, "shared-workforce", "co-operative-council")

    assert "Data shows a positive change since the reform began" in row(response, "evidence")


def test_it_renders_lessons_and_routes_contact_through_the_site_never_by_email(client, two):
    shared, _ = two
    response = compare(client, "shared-workforce", "co-operative-council")

    assert "<strong>cost split</strong>" in response.content.decode()
    assert "The Head of Paid Service can tell you more" in row(response, "contact")
    assert f'href="{reverse("peers:contact", args=[shared.slug])}"' in response.content.decode()
    assert shared.contact_email not in response.content.decode()


@pytest.mark.parametrize(
    "state",
    [
        PublicationState.DRAFT,
        PublicationState.SUBMITTED,
        PublicationState.ARCHIVED,
        PublicationState.REJECTED,
    ],
)
def test_a_study_that_is_not_public_never_appears(client, two, state):
    CaseStudyFactory(title="Secret merger plan", slug="secret-merger", publication_state=state)

    response = compare(client, "shared-workforce", "secret-merger", "co-operative-council")

    assert "Secret merger plan" not in response.content.decode()
    assert (
        "No published case study has the address “secret-merger”, so it is left out."
        in response.content.decode()
    )
    assert 'id="study-2"' in response.content.decode() and 'id="study-3"' not in response.content.decode()


def test_a_non_public_study_reads_exactly_like_a_slug_nobody_used(client, two):
    CaseStudyFactory(slug="secret-merger", publication_state=PublicationState.DRAFT)

    draft = compare(client, "shared-workforce", "secret-merger").content.decode()
    unknown = compare(client, "shared-workforce", "no-such-study").content.decode()

    def page(html: str, slug: str) -> str:
        return re.sub(r'nonce="[^"]+"', "", html.replace(slug, "X"))

    assert page(draft, "secret-merger") == page(unknown, "no-such-study")


def test_a_slug_named_twice_is_shown_once_with_a_message(client, two):
    response = compare(client, "shared-workforce", "shared-workforce", "co-operative-council")

    assert response.content.decode().count('id="study-') == 2
    assert "“shared-workforce” was named more than once, so it is shown once." in response.content.decode()


def test_five_studies_are_refused_with_a_clear_message(client, two):
    for number in range(3):
        CaseStudyFactory(slug=f"more-{number}")

    response = compare(client, "shared-workforce", "co-operative-council", "more-0", "more-1", "more-2")

    assert response.status_code == 400
    assert (
        "This address names 5 case studies. You can compare at most 4 at a time" in response.content.decode()
    )
    assert 'id="comparison"' not in response.content.decode()


def test_four_studies_are_compared(client, two):
    for number in range(2):
        CaseStudyFactory(slug=f"more-{number}")

    response = compare(client, "shared-workforce", "co-operative-council", "more-0", "more-1")

    assert response.status_code == 200
    assert response.content.decode().count('scope="col"') == 4


@pytest.mark.parametrize("slugs", [[], ["shared-workforce"], ["shared-workforce", "no-such-study"]])
def test_fewer_than_two_shows_what_to_do(client, two, slugs):
    response = compare(client, *slugs)

    assert response.status_code == 200
    assert 'id="comparison"' not in response.content.decode()
    assert "Choose 2 to 4 case studies to see them side by side" in response.content.decode()


def test_each_study_can_be_left_out_by_a_link_to_the_others(client, two):
    CaseStudyFactory(slug="third")

    response = compare(client, "shared-workforce", "co-operative-council", "third")

    assert 'href="?s=co-operative-council&amp;s=third"' in response.content.decode()


def test_the_page_links_to_its_csv(client, two):
    response = compare(client, "shared-workforce", "co-operative-council")

    assert (
        'href="/compare/compare.csv?s=shared-workforce&amp;s=co-operative-council"'
        in response.content.decode()
    )


def test_an_anonymous_visitor_is_served_the_cached_copy_until_the_shelves_change(client, two):
    shared, _ = two
    compare(client, "shared-workforce", "co-operative-council")
    assert compare(client, "shared-workforce", "co-operative-council")["X-Page-Cache"] == "hit"

    shared.publication_state = PublicationState.ARCHIVED
    shared.save()
    response = compare(client, "shared-workforce", "co-operative-council")

    assert "Shared workforce" not in response.content.decode()


def test_building_the_page_costs_a_fixed_number_of_queries(
    client, no_page_cache, django_assert_max_num_queries
):
    slugs = [CaseStudyFactory(partners_councils=[CouncilFactory(), CouncilFactory()]).slug for _ in range(4)]

    with django_assert_max_num_queries(5):
        response = compare(client, *slugs)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("investment", "annual", "expected"),
    [(500_000, 200_000, "2.5 years"), (100, 100, "1 year"), (0, 100, "No cost to repay"),
     (None, 100, "Not stated"), (100, None, "Not stated"), (100, 0, "Not stated")],
)  # fmt: skip
def test_payback_is_the_cost_over_the_recurring_saving_where_both_are_stated(investment, annual, expected):
    study = CaseStudyFactory.build(investment_gbp=investment, annual_savings_gbp=annual)

    assert payback_text(study) == expected
