"""The counts beside the filter options come from each process's facet table
(browse.facet_table), not from the database: each must still be exactly how many
results choosing that option gives, whatever else is chosen, searched or changed."""

import random
import time

import pytest
from django.http import QueryDict

from browse.facets import facet_counts, public_facet_counts
from browse.filters import FACETS
from browse.shelves import browse
from casestudies.models import CaseStudy, DeliveryStatus, ReformType, Theme
from councils.models import CouncilType, Nation
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

REFORM_TYPES = ["shared-services", "demand-management", "co-operative-council", "trading-company"]
THEMES = ["adult-social-care", "housing", "back-office", "waste-and-environment"]
WORDS = ["waste depot", "care at home", "legal team", "housing repairs"]


@pytest.fixture
def varied_shelves():
    rng = random.Random(17)
    wales, scotland = Nation.WALES, Nation.SCOTLAND
    councils = [
        CouncilFactory(name="Gwynedd", nation=wales, region="Wales", council_type=CouncilType.WELSH_UNITARY),
        CouncilFactory(name="Oldham", region="North West", council_type=CouncilType.METROPOLITAN_DISTRICT),
        CouncilFactory(name="South Hams", region="South West"),
        CouncilFactory(
            name="Fife", nation=scotland, region="Scotland", council_type=CouncilType.SCOTTISH_UNITARY
        ),
    ]
    for number in range(24):
        lead, partner = rng.sample(councils, 2)
        CaseStudyFactory(
            title=f"Reform {number} about {rng.choice(WORDS)}",
            summary=f"What {lead.name} did about {rng.choice(WORDS)}.",
            lead=lead,
            partners_councils=[partner] if rng.random() < 0.5 else [],
            reform_type_slugs=rng.sample(REFORM_TYPES, rng.choice([1, 2])),
            theme_slugs=rng.sample(THEMES, rng.choice([1, 2])),
            status=rng.choice(DeliveryStatus.values),
            evidence_level=rng.choice([None, 1, 2, 3, 4, 5]),
            started_year=rng.choice([2008, 2012, 2016, 2020]),
            annual_savings_gbp=rng.choice([None, 250_000]),
            publication_state=rng.choice(["published"] * 5 + ["draft"]),
        )
    return councils


def combinations(councils, count: int) -> list[QueryDict]:
    rng = random.Random(3)
    options = {
        "reform_type": REFORM_TYPES,
        "theme": THEMES,
        "nation": ["England", "Wales", "Scotland"],
        "region": ["North West", "South West", "Wales"],
        "status": list(DeliveryStatus.values),
        "evidence": ["1", "3"],
        "has_savings": ["yes"],
        "adopted": ["yes"],
        "council": [councils[1].code.lower()],
        "started_from": ["2012"],
        "q": WORDS,
    }
    found = [QueryDict("")]
    while len(found) < count:
        data = QueryDict(mutable=True)
        for name in rng.sample(sorted(options), rng.choice([1, 2, 3])):
            several = name not in ("evidence", "q") and len(options[name]) > 1 and rng.random() < 0.4
            data.setlist(name, rng.sample(options[name], 2 if several else 1))
        found.append(data)
    return found


def choosing(data: QueryDict, facet: str, value: str) -> QueryDict:
    chosen = data.copy()
    chosen.setlist(facet, [value])
    return chosen


def test_each_count_is_what_choosing_the_option_gives(varied_shelves):
    for data in combinations(varied_shelves, 10):
        shelf = browse(data)
        facets = shelf.facets
        for facet in FACETS:
            # Every option the panel offers, shown with a count or not.
            values = [str(value) for value, _ in shelf.filterset.form.fields[facet].choices if value]
            for value in values:
                results = browse(choosing(data, facet, value), with_facets=False).results
                assert facets[facet].get(value, 0) == results.count(), (data.urlencode(), facet, value)
        assert facets["total"].get("yes", 0) == browse(data, with_facets=False).results.count()


def test_the_table_counts_what_the_database_counts(varied_shelves):
    oldham = varied_shelves[1].code.lower()
    special = ["q=zzqxv+wwkrp", f"like={oldham}", f"like={oldham}&theme=housing", "q=-waste", "evidence=5"]
    for data in [*combinations(varied_shelves, 40), *map(QueryDict, special)]:
        shelf = browse(data, with_facets=False)
        in_process = public_facet_counts(shelf.applied, shelf.search.narrow, searched=shelf.search.active)
        assert in_process == facet_counts(shelf.applied, shelf.search.narrow), data.urlencode()


@pytest.mark.parametrize("published", [False, True])
def test_the_table_counts_an_empty_shelf_and_one_without_evidence_levels(published):
    council = CouncilFactory()
    for _ in range(3):
        CaseStudyFactory(
            lead=council, evidence_level=None, publication_state="published" if published else "draft"
        )
    for query in ["", "evidence=1", "q=waste", "status=implemented"]:
        shelf = browse(QueryDict(query), with_facets=False)
        in_process = public_facet_counts(shelf.applied, shelf.search.narrow, searched=shelf.search.active)
        assert in_process == facet_counts(shelf.applied, shelf.search.narrow), query
    assert browse(QueryDict("")).facets["evidence"] == {str(level): 0 for level in range(1, 6)}


def test_counts_follow_a_change_at_once(varied_shelves):
    wales = QueryDict("nation=Wales")
    before = browse(wales).facets["nation"]["Wales"]
    study = CaseStudy.objects.published().filter(shelf_nations__contains="|Wales|").first()
    study.publication_state = "archived"
    study.save()  # a save announces the change, as the admin's and every form's do

    assert browse(wales).facets["nation"]["Wales"] == before - 1


@pytest.mark.django_db(transaction=True)
def test_counts_are_right_while_the_table_is_read_again_and_after(client):
    """As in production, outside a transaction: a process with no table, or one out of
    date, counts in the database while a thread reads the table again, then uses it."""
    from browse import facet_table

    facet_table.forget()
    # A transactional test before this one may have flushed the vocabulary the migrations load.
    Theme.objects.get_or_create(slug="housing", defaults={"name": "Housing and homelessness"})
    ReformType.objects.get_or_create(slug="shared-services", defaults={"name": "Shared services"})
    housing = CouncilFactory(name="Oldham")
    for _ in range(3):
        CaseStudyFactory(lead=housing, theme_slugs=["housing"])

    def housing_count(query: str = "") -> int:
        return browse(QueryDict(query)).facets["theme"].get("housing", 0)

    assert housing_count() == 3  # counted in the database: no table yet
    assert read_in_the_background(facet_table)
    assert housing_count("nation=England") == 3  # counted from the table

    CaseStudyFactory(lead=housing, theme_slugs=["housing"])
    assert facet_table.facet_table() is None  # out of date: read again in the background
    assert housing_count("nation=England&status=implemented") == 4
    assert read_in_the_background(facet_table)
    assert housing_count("nation=England&evidence=1") == 4  # from the table read again


def read_in_the_background(facet_table) -> bool:
    for _ in range(100):  # the thread reads it in well under a second here
        if facet_table.facet_table() is not None:
            return True
        time.sleep(0.05)
    return False
