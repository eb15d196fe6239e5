"""Facet counts: for each option of each facet, how many results choosing it
would give, with the search and every other active filter applied.

All of them come from one pass over the case studies that the search and the
filters which are not facets match. Each row carries, per facet, its values
(the keys of casestudies.shelf_keys, or a column) if it passes every *other*
active facet filter, and nothing if it does not; one query then counts each
facet's values over that one set. No facet re-runs the search, and no row
leaves the case study table."""

from collections import Counter

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from browse.filters import FACETS, HAS_SAVINGS, CaseStudyFilter, facet_condition
from casestudies.models import EvidenceLevel
from casestudies.shelf_keys import KEY_FIELDS, decode

# What each facet counts by: a column holding its value(s), or a condition counted once.
COLUMNS = {**KEY_FIELDS, "status": "status", "evidence": "evidence_level"}
FLAGS = {"has_savings": HAS_SAVINGS, "adopted": Q(adoption_count__gt=0)}
TOTAL = "total"  # also counted: every result, with every filter applied


def facet_counts(filterset: CaseStudyFilter, narrow) -> dict[str, dict[str, int]]:
    """``filterset`` must be valid (browse.shelves keeps only the filters that are); ``narrow``
    applies the search. The filters that are not facets are applied as the FilterSet would."""
    cleaned = filterset.form.cleaned_data
    matching = filterset.queryset
    for name, value in cleaned.items():
        if name not in FACETS:
            matching = filterset.filters[name].filter(matching, value)
    conditions = {
        name: condition
        for name in FACETS
        if (condition := facet_condition(name, cleaned.get(name))) is not None
    }
    annotations = {f"facet_{name}": _counted_as(name, conditions) for name in [*FACETS, TOTAL]}
    return _tally(_count_rows(narrow(matching).order_by().annotate(**annotations).values(*annotations)))


def _counted_as(name: str, conditions: dict[str, Q]):
    """What a row gives facet ``name``: its value(s) if it passes the other facets' filters, else NULL."""
    others = [condition for facet, condition in conditions.items() if facet != name]
    if name in COLUMNS:
        value, condition = F(COLUMNS[name]), None
    else:
        value, condition = Value(1), FLAGS.get(name)
    required = [*others, *([condition] if condition is not None else [])]
    if not required:
        return value
    combined = required[0]
    for more in required[1:]:
        combined &= more
    output = IntegerField() if name not in COLUMNS else None
    return Case(When(combined, then=value), default=None, output_field=output)


def _count_rows(rows: QuerySet) -> list[tuple]:
    sql, params = rows.query.sql_with_params()
    branches = " UNION ALL ".join(
        f"SELECT '{name}', CAST(facet_{name} AS TEXT), COUNT(*) FROM matched "  # noqa: S608 (names are ours)
        f"WHERE facet_{name} IS NOT NULL GROUP BY facet_{name}"
        for name in [*FACETS, TOTAL]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH matched AS MATERIALIZED ({sql}) {branches}", params)
        return cursor.fetchall()


def _tally(rows: list[tuple]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {name: Counter() for name in [*FACETS, TOTAL]}
    for name, value, count in rows:
        if name in KEY_FIELDS:
            for each in decode(value):
                counts[name][each] += count
        elif name in COLUMNS:
            counts[name][str(value)] += count
        else:
            counts[name]["yes"] += count
    evidence = {int(level): n for level, n in counts["evidence"].items()}
    # "Level N or stronger" counts every case study at N and above.
    counts["evidence"] = Counter(
        {str(level): sum(n for at, n in evidence.items() if at >= level) for level in EvidenceLevel.values}
    )
    return {name: dict(found) for name, found in counts.items()}
