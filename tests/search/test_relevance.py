"""The relevance suite: queries an officer would type, over the demo data.

Each query lists the case studies that should come first, best first. The
suite prints nDCG@5 for every query and the mean, and asserts a floor. It runs
on both databases. Tune search for officers' language, not these words: the
same search is also judged on case studies it has never seen.
"""

import math

import pytest

from casestudies.models import CaseStudy
from search.engine import search

pytestmark = pytest.mark.django_db

QUERIES = [
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
FLOOR = 0.80


def ndcg_at_5(found: list[str], wanted: list[str]) -> float:
    gains = {slug: len(wanted) - index for index, slug in enumerate(wanted)}
    dcg = sum(gains.get(slug, 0) / math.log2(rank + 2) for rank, slug in enumerate(found[:5]))
    ideal = sum(
        gain / math.log2(rank + 2) for rank, gain in enumerate(sorted(gains.values(), reverse=True)[:5])
    )
    return dcg / ideal


def test_search_finds_what_officers_mean(demo, capsys):
    scores = []
    lines = []
    for text, wanted in QUERIES:
        found = [study.slug for study in search(CaseStudy.objects.published(), text).queryset[:5]]
        score = ndcg_at_5(found, wanted)
        scores.append(score)
        lines.append(f"  {score:.2f}  {text!r}" + ("" if score == 1 else f"  -> {found}"))
    mean = sum(scores) / len(scores)
    with capsys.disabled():
        print(f"\nRelevance: mean nDCG@5 {mean:.3f} over {len(QUERIES)} queries (floor {FLOOR})")
        print("\n".join(lines))

    assert mean >= FLOOR


@pytest.mark.parametrize("text", NOTHING)
def test_queries_about_nothing_on_the_shelves_find_nothing(demo, text):
    assert not search(CaseStudy.objects.published(), text).queryset.exists()
