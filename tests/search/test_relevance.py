"""Relevance: does search find what officers mean?

The verdict is the test half of tests/search/relevance_queries.json: queries
written from officers' side, graded, in six kinds (see docs/search-relevance.md).
Search is tuned on the development half only; the test half must keep a mean
nDCG@5 of at least TEST_MEAN_FLOOR, every query at least QUERY_FLOOR, and its
"none" queries must find nothing, on SQLite and on PostgreSQL. Figures per kind
for both halves are printed on every run.

The older suite below it, 31 queries written from case study titles, is kept
as a floor for searches that use the shelves' own words.
"""

import math

import pytest

from casestudies.models import CaseStudy
from search.engine import search
from tests.search.relevance import NONE, halves_by_rule, load_queries, mean, measure, ranked, report

pytestmark = pytest.mark.django_db

TEST_MEAN_FLOOR = 0.85
QUERY_FLOOR = 0.3
TITLE_FLOOR = 0.80

TITLE_QUERIES = [
    ("joint legal service for small districts", ["hb-public-law-shared-legal-service"]),
    ("cut demand for adult social care", ["wigan-deal", "calderdale-shaping-demand", "gwynedd-ffordd-gwynedd"]),
    ("libary hubs", ["suffolk-libraries-mutual", "bradford-community-libraries"]),
    ("council owned company", ["norfolk-norse-group", "bristol-waste-company", "nottingham-robin-hood-energy", "croydon-brick-by-brick"]),
    ("sharing a chief executive between two councils", ["south-hams-west-devon-shared-services", "east-suffolk-shared-services-to-merger"]),
    ("trading standards partnership", ["surrey-buckinghamshire-joint-trading-standards", "vale-of-glamorgan-shared-regulatory-services"]),
    ("reduce number of children in care", ["leeds-restorative-practice-child-friendly", "doncaster-childrens-services-trust"]),
    ("outsourcing back office to a private contractor", ["barnet-one-barnet-outsourcing"]),
    ("integrating health and social care", ["greater-manchester-health-devolution", "plymouth-integrated-health-and-care", "highland-lead-agency-model"]),
    ("co-operative council", ["oldham-co-operative-council", "lambeth-co-operative-council"]),
    ("Total Place", ["croydon-total-place-early-years"]),
    ("fail fast innovation culture", ["monmouthshire-fail-fast-intrapreneurship", "kent-social-innovation-lab"]),
    ("council energy supplier that failed", ["nottingham-robin-hood-energy"]),
    ("housing company loans", ["croydon-brick-by-brick"]),
    ("merging two district councils", ["east-suffolk-shared-services-to-merger", "south-hams-west-devon-shared-services"]),
    ("predictive analytics vulnerable children", ["essex-centre-for-data-analytics"]),
    ("bus franchising", ["greater-manchester-bee-network-rail"]),
    ("city deal", ["cardiff-capital-region-city-deal"]),
    ("volunteers running libraries", ["bradford-community-libraries", "suffolk-libraries-mutual"]),
    ("Wigan", ["wigan-deal", "greater-manchester-health-devolution"]),
    ("Buckinghamshire", ["surrey-buckinghamshire-joint-trading-standards"]),
    ("Northern Ireland council reform", ["northern-ireland-local-government-reform", "belfast-agenda-community-planning"]),
    ("shared revenues and benefits", ["anglia-revenues-partnership"]),
    ("bringing waste collection back in house", ["bristol-waste-company"]),
    ('"early years"', ["croydon-total-place-early-years"]),
    ("in-house digital team", ["hackney-digital-services"]),
    ("systems thinking", ["gwynedd-ffordd-gwynedd"]),
    ("library mutual spin out", ["suffolk-libraries-mutual"]),
    ("Welsh councils sharing environmental health", ["vale-of-glamorgan-shared-regulatory-services"]),
    ("Scottish councils sharing education", ["clackmannanshire-stirling-shared-services"]),
    ("looked after children trust", ["doncaster-childrens-services-trust", "leeds-restorative-practice-child-friendly"]),
]  # fmt: skip
NOTHING = ["nuclear submarine", "quantum computing", "xylophone"]


def found(text: str) -> list[str]:
    return [study.slug for study in search(CaseStudy.objects.published(), text).queryset[:5]]


_measured: dict[str, list] = {}


@pytest.fixture
def outcomes(demo):
    """Both halves measured over the demo shelves, once for the tests below."""
    if not _measured:
        _measured.update({half: measure(found, load_queries(half)) for half in ("dev", "test")})
    return _measured


def test_the_halves_follow_the_rule_the_set_states():
    queries = load_queries()
    rule = halves_by_rule(queries)

    assert {query.query: query.half for query in queries} == rule
    assert len(queries) >= 80 and {query.kind for query in queries} >= {NONE}


def test_search_finds_what_officers_mean_in_the_test_half(outcomes, capsys):
    with capsys.disabled():
        print()
        print(report(outcomes["dev"], "Relevance, development half"))
        print(report(outcomes["test"], "Relevance, test half (never tuned on)", details=True))

    assert mean([outcome.score for outcome in ranked(outcomes["test"])]) >= TEST_MEAN_FLOOR


# Known misses of the test half, measured once (docs/search-relevance.md): the
# checks below fail until they are fixed by changes judged on the development
# half, and then say so (strict), so the marks must go.
MISSES = (
    "SQLite: 'lower costs per case than most councils' 0.00 and 'VCS commissioning' 0.28; "
    "PostgreSQL: 'lower costs per case than most councils' 0.00; both: 'Christmas lights "
    "switch-on' and 'school term dates' find case studies that share one word and a faint likeness"
)


@pytest.mark.xfail(strict=True, reason=MISSES)
def test_every_query_of_the_test_half_finds_something_relevant(outcomes):
    assert [o.judged.query for o in ranked(outcomes["test"]) if o.score < QUERY_FLOOR] == []


@pytest.mark.xfail(strict=True, reason=MISSES)
def test_queries_about_nothing_on_the_shelves_find_nothing(outcomes):
    assert [o.judged.query for o in outcomes["test"] if o.judged.kind == NONE and o.found] == []


@pytest.mark.parametrize("text", NOTHING)
def test_nonsense_finds_nothing(demo, text):
    assert not search(CaseStudy.objects.published(), text).queryset.exists()


def ndcg_at_5(found: list[str], wanted: list[str]) -> float:
    gains = {slug: len(wanted) - index for index, slug in enumerate(wanted)}
    dcg = sum(gains.get(slug, 0) / math.log2(rank + 2) for rank, slug in enumerate(found[:5]))
    ideal = sum(
        gain / math.log2(rank + 2) for rank, gain in enumerate(sorted(gains.values(), reverse=True)[:5])
    )
    return dcg / ideal


def test_searches_in_the_shelves_own_words_still_find_their_case_studies(demo, capsys):
    scores = [ndcg_at_5(found(text), wanted) for text, wanted in TITLE_QUERIES]
    with capsys.disabled():
        print(f"\nTitle queries: mean nDCG@5 {mean(scores):.3f} over {len(scores)} (floor {TITLE_FLOOR})")

    assert mean(scores) >= TITLE_FLOOR
