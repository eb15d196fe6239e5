import datetime
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from browse.shelves import browse
from councils.models import CouncilType, Nation
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db


def titles(query: str) -> set[str]:
    return {study.title for study in browse(QueryDict(query)).results}


@pytest.fixture
def shelves():
    wales = CouncilFactory(
        name="Gwynedd", nation=Nation.WALES, region="Wales", council_type=CouncilType.WELSH_UNITARY
    )
    north = CouncilFactory(name="Oldham", region="North West", council_type=CouncilType.METROPOLITAN_DISTRICT)
    south = CouncilFactory(name="South Hams", region="South West")
    CaseStudyFactory(
        title="Welsh care", lead=wales, reform_type_slugs=["demand-management"],
        theme_slugs=["adult-social-care"], status="scaled", evidence_level=4, started_year=2016,
        annual_savings_gbp=500_000,
    )  # fmt: skip
    CaseStudyFactory(
        title="Oldham co-op", lead=north, reform_type_slugs=["co-operative-council"], theme_slugs=["housing"],
        status="implemented", evidence_level=2, started_year=2011,
    )  # fmt: skip
    CaseStudyFactory(
        title="Devon shared", lead=south, partners_councils=[north], reform_type_slugs=["shared-services"],
        theme_slugs=["back-office"], status="stopped", evidence_level=None, started_year=2007,
        one_off_savings_gbp=10_000,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reform_type=shared-services", {"Devon shared"}),
        ("reform_type=shared-services&reform_type=co-operative-council", {"Devon shared", "Oldham co-op"}),
        ("theme=housing", {"Oldham co-op"}),
        ("nation=Wales", {"Welsh care"}),
        ("region=North+West", {"Oldham co-op", "Devon shared"}),
        ("council_type=MD", {"Oldham co-op", "Devon shared"}),
        ("council=oldham", {"Oldham co-op", "Devon shared"}),
        ("status=stopped&status=scaled", {"Devon shared", "Welsh care"}),
        ("evidence=2", {"Welsh care", "Oldham co-op"}),
        ("evidence=4", {"Welsh care"}),
        ("started_from=2010", {"Welsh care", "Oldham co-op"}),
        ("started_from=2010&started_to=2012", {"Oldham co-op"}),
        ("has_savings=yes", {"Welsh care", "Devon shared"}),
        ("region=North+West&theme=housing", {"Oldham co-op"}),
        ("region=North+West&status=scaled", set()),
    ],
)
def test_filters_combine_or_within_and_across(shelves, query, expected):
    assert titles(query) == expected


def test_a_council_filter_includes_the_reforms_of_the_councils_it_replaced(db):
    old = CouncilFactory(name="Buckinghamshire County", end_date=datetime.date(2020, 3, 31))
    new = CouncilFactory(name="Buckinghamshire")
    old.replaced_by.add(new)
    CaseStudyFactory(title="Trading standards", lead=old)

    assert titles("council=buckinghamshire") == {"Trading standards"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("evidence=abc", "Select a valid choice. abc is not one of the available choices."),
        ("reform_type=nonsense", "Select a valid choice. nonsense is not one of the available choices."),
        ("started_from=abc", "Enter a number."),
        ("started_to=99999", "Ensure this value is less than or equal to 2100."),
        ("council=Atlantis", "No council is called “Atlantis”"),
        ("sort=sideways", "Select a valid choice. sideways is not one of the available choices."),
    ],
)
def test_an_invalid_value_is_explained_beside_the_filter_and_the_rest_still_apply(
    client, shelves, query, message
):
    response = client.get(reverse("casestudies:list") + "?theme=housing&" + query)
    html = response.content.decode()

    assert response.status_code == 200
    assert message in html
    assert "govuk-error-message" in html
    assert "Oldham co-op" in html and "Welsh care" not in html


def test_each_option_counts_what_it_would_give_with_the_other_filters(client, shelves):
    shelf = browse(QueryDict("region=North+West&status=implemented"))

    assert shelf.facets["status"] == {"implemented": 1, "stopped": 1}  # region applied, status not
    assert shelf.facets["region"]["North West"] == 1  # status applied, region not
    assert shelf.facets["region"].get("South West", 0) == 0
    assert shelf.facets["reform_type"] == {"co-operative-council": 1}


def test_facet_counts_appear_beside_the_options(client, shelves):
    html = client.get(reverse("casestudies:list") + "?theme=housing").content.decode()

    assert 'Co-operative council <span class="app-count" id="filter-reform_type-0-count">(1)</span>' in html
    assert 'Shared services <span class="app-count"' in html and "(0)</span>" in html


def test_active_filters_are_removable_and_can_all_be_cleared(client, shelves):
    html = client.get(reverse("casestudies:list") + "?q=care&theme=housing&status=stopped").content.decode()

    assert 'href="?q=care&amp;status=stopped"' in html  # removes the theme
    assert "Service area: Housing and homelessness" in html
    assert '<a class="govuk-link" href="?q=care">Clear all filters</a>' in html


@pytest.mark.parametrize(
    ("sort", "first"),
    [("newest", "Devon shared"), ("savings", "Welsh care"), ("evidence", "Welsh care")],
)
def test_results_can_be_sorted(shelves, sort, first):
    assert browse(QueryDict(f"sort={sort}")).results.first().title == first


def test_relevance_is_the_default_order_with_a_query_and_newest_without(shelves):
    assert browse(QueryDict("q=care")).sort == "relevance"
    assert browse(QueryDict("")).sort == "newest"
    assert browse(QueryDict("sort=relevance")).sort == "newest"


def test_cached_facet_counts_change_as_soon_as_a_curator_publishes(client):
    from django.contrib.auth.models import User

    from moderation import transitions as moderation

    CaseStudyFactory(theme_slugs=["housing"])
    waiting = CaseStudyFactory(theme_slugs=["housing"], publication_state="submitted", published_at=None)
    curator = User.objects.create(username="cat", is_staff=True)

    def housing_count() -> int:
        # Read from the page as a visitor sees it: after the first visit the
        # whole page, as well as the counts, comes from the shared cache.
        html = client.get(reverse("casestudies:list")).content.decode()
        found = re.search(r'>Housing and homelessness <span class="app-count"[^>]*>\((\d+)\)', html)
        return int(found.group(1))

    assert housing_count() == 1
    assert housing_count() == 1  # now from the cache
    moderation.publish(waiting, curator)
    assert housing_count() == 2
    moderation.archive(waiting, curator)
    assert housing_count() == 1


def test_the_filter_panel_escapes_a_term_and_ticks_what_was_chosen(client):
    from casestudies.models import Theme

    Theme.objects.create(slug="roads", name="Roads & <b>bridges</b>")
    CaseStudyFactory(theme_slugs=["roads"])

    html = client.get(reverse("casestudies:list") + "?theme=roads&evidence=2").content.decode()

    assert "<b>bridges</b>" not in html
    roads = re.search(r'<input class="govuk-checkboxes__input" id="([^"]+)" name="theme" type="checkbox" '
                      r'value="roads"( checked)?>', html)  # fmt: skip
    assert roads and roads.group(2) == " checked"
    # Its label, tied to its box, names it escaped, with its count beside it.
    assert (
        f'<label class="govuk-label govuk-checkboxes__label" for="{roads.group(1)}">'
        "Roads &amp; &lt;b&gt;bridges&lt;/b&gt; "
        f'<span class="app-count" id="{roads.group(1)}-count">(1)</span></label>'
    ) in html
    level_two = re.search(r'name="evidence" type="radio" value="2"( checked)?>', html)
    level_three = re.search(r'name="evidence" type="radio" value="3"( checked)?>', html)
    assert level_two.group(1) == " checked" and level_three.group(1) is None


def test_a_renamed_term_is_named_so_on_the_next_page(client):
    from casestudies.models import Theme

    Theme.objects.create(slug="roads", name="Roads")
    CaseStudyFactory(theme_slugs=["roads"])
    assert ">Roads <span" in client.get(reverse("casestudies:list")).content.decode()

    Theme.objects.filter(slug="roads").update(name="Highways")
    Theme.objects.get(slug="roads").save()  # as the admin saves it: the shelves change

    html = client.get(reverse("casestudies:list") + "?theme=roads").content.decode()
    assert ">Highways <span" in html and ">Roads <span" not in html
    assert "Service area: Highways" in html  # the filters in use read the same choices
