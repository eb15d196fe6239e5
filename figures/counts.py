"""The numbers behind the figures: each counted by one aggregate query over the
case studies a shelf matches, so a page costs the same however many there are.

A shelf is what the case study list shows for the same query string
(browse.shelves): published case studies only, narrowed by the filters that
make sense and by the search words."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from browse.shelves import Shelf
from casestudies.models import CaseStudy, CaseStudyCouncil
from councils.models import Council


def matched_case_studies(shelf: Shelf) -> QuerySet:
    """The case studies the list would show, unranked: the filters applied, then the search."""
    return shelf.search.narrow(shelf.applied.qs).order_by()


@dataclass
class Savings:
    """What the case studies of one reform type (or of the whole shelf) say they saved.
    Sums are of stated figures only; None when nobody stated one."""

    name: str
    studies: int
    annual: int | None
    annual_stated: int
    one_off: int | None
    one_off_stated: int
    none_stated: int


def _money(prefix: str) -> dict:
    annual, one_off = f"{prefix}annual_savings_gbp", f"{prefix}one_off_savings_gbp"
    return {
        "studies": Count(f"{prefix}pk"),
        "annual": Sum(annual),
        "annual_stated": Count(annual),
        "one_off": Sum(one_off),
        "one_off_stated": Count(one_off),
        "none_stated": Count(
            f"{prefix}pk", filter=Q(**{f"{annual}__isnull": True, f"{one_off}__isnull": True})
        ),
    }


def _savings(name: str, row: dict) -> Savings:
    return Savings(
        name=name,
        studies=row["studies"],
        annual=row["annual"] if row["annual_stated"] else None,
        annual_stated=row["annual_stated"],
        one_off=row["one_off"] if row["one_off_stated"] else None,
        one_off_stated=row["one_off_stated"],
        none_stated=row["none_stated"],
    )


@dataclass
class ShelfSavings:
    by_reform_type: list[Savings]
    total: Savings
    without_reform_type: int


def count_savings(matched: QuerySet) -> ShelfSavings:
    """Two queries: one row per reform type, and the shelf as a whole (a case study of
    several reform types counts under each, so the rows may add up to more than the whole)."""
    through = CaseStudy.reform_types.through
    rows = (
        through.objects.filter(casestudy__in=matched.values("pk"))
        .values("reformtype__name")
        .annotate(**_money("casestudy__"))
        .order_by("reformtype__name")
    )
    whole = matched.aggregate(**_money(""), untyped=Count("pk", filter=Q(shelf_reform_types="")))
    return ShelfSavings(
        by_reform_type=[_savings(row["reformtype__name"], row) for row in rows],
        total=_savings("All case studies on this shelf", whole),
        without_reform_type=whole["untyped"],
    )


def count_years(matched: QuerySet) -> dict[int | None, dict[str, int]]:
    """How many case studies started each year (None: not given), by delivery status."""
    years: dict[int | None, dict[str, int]] = defaultdict(dict)
    for row in matched.values("started_year", "status").annotate(n=Count("pk")):
        years[row["started_year"]][row["status"]] = row["n"]
    return dict(years)


def count_evidence(matched: QuerySet) -> dict[int | None, int]:
    """How many case studies are at each level of evidence (None: not given)."""
    return {
        row["evidence_level"]: row["n"] for row in matched.values("evidence_level").annotate(n=Count("pk"))
    }


@dataclass
class ShelfCouncils:
    by_nation: dict[str, int]
    by_type: dict[str, int]
    total: int


def count_councils(matched: QuerySet) -> ShelfCouncils:
    """The councils taking part in the matched case studies, as lead or partner, each counted once."""
    taking_part = CaseStudyCouncil.objects.filter(case_study__in=matched.values("pk")).values("council_id")
    by_nation: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    rows = Council.objects.filter(pk__in=taking_part).values("nation", "council_type").annotate(n=Count("pk"))
    for row in rows.order_by():
        by_nation[row["nation"]] += row["n"]
        by_type[row["council_type"]] += row["n"]
    return ShelfCouncils(by_nation=dict(by_nation), by_type=dict(by_type), total=sum(by_nation.values()))
