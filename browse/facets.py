"""Facet counts: for each option of each facet, how many results choosing it
would give, with the search and every other active filter applied.

All of them come from one pass over the case studies that the search and the
filters which are not facets match. Each row carries, per facet, its values
(the keys of casestudies.shelf_keys, or a column) if it passes every *other*
active facet filter, and nothing if it does not; one query then counts each
facet's values over that one set. No facet re-runs the search, and no row
leaves the case study table."""

from collections import Counter

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, ExpressionWrapper, Q

from browse.facet_table import facet_table
from browse.filters import FACETS, HAS_SAVINGS, CaseStudyFilter, facet_condition
from casestudies.models import EvidenceLevel
from casestudies.shelf_keys import KEY_FIELDS, decode
from core.grouping import count_groupings

# What each facet counts by: a column holding its value(s), or a condition counted once.
COLUMNS = {**KEY_FIELDS, "status": "status", "evidence": "evidence_level"}
FLAGS = {"has_savings": HAS_SAVINGS, "adopted": Q(adoption_count__gt=0)}
TOTAL = "total"  # also counted: every result, with every filter applied


# Filters the FilterSet leaves to others: q to search.engine, sort to browse.shelves.
APPLIED_ELSEWHERE = {"q", "sort"}


def facet_counts(filterset: CaseStudyFilter, narrow) -> dict[str, dict[str, int]]:
    """``filterset`` must be valid (browse.shelves keeps only the filters that are); ``narrow``
    applies the search. The filters that are not facets are applied as the FilterSet would."""
    cleaned = filterset.form.cleaned_data
    matching = _not_facets(filterset)
    active = {
        name: condition
        for name in FACETS
        if (condition := facet_condition(name, cleaned.get(name))) is not None
    }
    # Each condition is worked out once a row, as a column the groupings read.
    flags = {f"passes_{name}": condition for name, condition in active.items()}
    flags |= {f"flag_{name}": condition for name, condition in FLAGS.items()}
    rows = (
        narrow(matching)
        .order_by()
        .annotate(
            **{
                alias: ExpressionWrapper(condition, output_field=BooleanField())
                for alias, condition in flags.items()
            }
        )
        .values(*COLUMNS.values(), *flags)
    )
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (councils like one that has none)
        return _tally([])
    groupings = {name: _counted_as(name, list(active)) for name in [*FACETS, TOTAL]}
    return _tally(count_groupings(sql, params, groupings))


def public_facet_counts(
    filterset: CaseStudyFilter, narrow, *, searched: bool, version: str | None = None
) -> dict[str, dict[str, int]]:
    """The same counts for the public shelves (every published case study), from this
    process's facet table (browse.facet_table) instead of a pass over the rows, once it
    is up to date. The database is asked only for the ids of what the search
    (``searched``) and the filters that are not facets match, when there are any."""
    table = facet_table(version)
    if table is None:  # being read again after a change
        return facet_counts(filterset, narrow)
    cleaned = filterset.form.cleaned_data
    narrowed = searched or any(
        cleaned.get(name) not in (None, "", [], ())
        for name in cleaned
        if name not in FACETS and name not in APPLIED_ELSEWHERE
    )
    base = None
    if narrowed:
        base = table.within(narrow(_not_facets(filterset)).order_by().values_list("pk", flat=True))
    return table.counts(cleaned, FACETS, base)


def _not_facets(filterset: CaseStudyFilter):
    """The FilterSet's queryset with only its filters that are not facets applied."""
    matching = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in FACETS:
            matching = filterset.filters[name].filter(matching, value)
    return matching


def _counted_as(name: str, active: list[str]) -> str:
    """What a row gives facet ``name``, in SQL over the rows' columns: its value(s) if it passes
    every other active facet's filter, else NULL."""
    required = [f"passes_{facet}" for facet in active if facet != name]
    if name in FLAGS:
        required.append(f"flag_{name}")
    value = COLUMNS.get(name, "1")
    if not required:
        return value
    return f"CASE WHEN {' AND '.join(required)} THEN {value} END"


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
