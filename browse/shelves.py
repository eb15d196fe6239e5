"""What a view of the shelves shows: one function that turns a query string
into filtered, searched, sorted results with facet counts. The HTML list, the
JSON API and the CSV export all call ``browse``."""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.http import QueryDict

from browse.facets import facet_counts, public_facet_counts
from browse.filters import FACETS, SORTS, CaseStudyFilter
from browse.page_cache import FACET_SECONDS, facet_key
from casestudies.models import CaseStudy
from casestudies.shelf_version import shelf_version
from councils.models import Council
from search.backends.bounded import IdIn, ranked_ids
from search.engine import SearchResults, search

ORDERINGS = {
    "newest": [F("published_at").desc(nulls_last=True), "-pk"],
    "savings": [
        F("annual_savings_gbp").desc(nulls_last=True),
        F("published_at").desc(nulls_last=True),
        "-pk",
    ],
    "evidence": [F("evidence_level").desc(nulls_last=True), F("published_at").desc(nulls_last=True), "-pk"],
    "adopted": ["-adoption_count", F("published_at").desc(nulls_last=True), "-pk"],
}
NOT_FILTERS = {"q", "sort", "page"}


@dataclass
class ActiveFilter:
    name: str
    label: str
    value_label: str
    remove_url: str


@dataclass
class Shelf:
    filterset: CaseStudyFilter
    results: QuerySet
    search: SearchResults
    sort: str
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    applied: CaseStudyFilter | None = None  # the filters that could be used
    data: QueryDict | None = None
    like: object = None  # the council whose likes are shown, if any
    likeness: dict = field(default_factory=dict)

    @cached_property
    def active(self) -> list[ActiveFilter]:
        """The filters in use, each with a link that removes it (worked out only when asked for)."""
        return active_filters(self.applied, self.data) if self.applied is not None else []

    @property
    def errors(self):
        return self.filterset.errors

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """Each filter it could not use, as (the id of its box on the list page, its errors)."""
        return [(_box_id(name), " ".join(errors)) for name, errors in self.errors.items()]

    @property
    def count(self) -> int | None:
        """How many results, when the facet counts have counted them already."""
        return self.facets["total"].get("yes", 0) if "total" in self.facets else None

    def paged(self) -> "RankedFirst":
        """The results with what a list shows of each, for a paginator."""
        # A list names no terms; a search's explanation may name a related idea among them.
        results = self.results.for_lists(terms=("reform_types", "themes") if self.search.active else ())
        ids = ranked_ids(self.results) if self.sort == "relevance" else None
        ranked = results.filter(IdIn(ids)) if ids else None
        return RankedFirst(results, ranked, len(ids or []), self.count)

    def clear_all_url(self) -> str:
        keep = QueryDict(mutable=True)
        if self.search.query:
            keep["q"] = self.search.query
        return f"?{keep.urlencode()}" if keep else "?"


class RankedFirst:
    """The results as a paginator reads them: a page among the case studies a
    search ranked in full (search.backends.bounded), which come first, is read
    from those alone, without passing over every match again; a later page
    from all the results."""

    ordered = True

    def __init__(self, results: QuerySet, ranked: QuerySet | None, ranked_count: int, count: int | None):
        self.results, self.ranked, self.ranked_count, self.known = results, ranked, ranked_count, count

    def count(self) -> int:
        return self.known if self.known is not None else self.results.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice) and self.ranked is not None and (key.stop or 0) <= self.ranked_count:
            return self.ranked[key]
        if isinstance(key, slice) and self.ranked is None:
            # The page's ids are chosen first, from the narrow index that holds every column the
            # shelves filter and sort by (casestudies 0010), then only those rows are read:
            # choosing by the rows themselves reads every wide row that passes the filters.
            return self.results.filter(pk__in=self.results.values("pk")[key])
        return self.results[key]


# Filters drawn as one box (the rest as a group of options, linked at the first).
SINGLE_BOXES = {"q", "council", "started_from", "started_to", "sort"}


def _box_id(name: str) -> str:
    if name == "like":
        return "my-council"
    return f"id_{name}" if name in SINGLE_BOXES else f"filter-{name}-0"


def browse(
    data: QueryDict, *, queryset: QuerySet | None = None, with_facets: bool = True, ranked: bool = True
) -> Shelf:
    """The shelf a query string asks for. ``ranked=False`` for a page that counts the
    matches rather than listing them best first (figures, the map)."""
    base = queryset if queryset is not None else CaseStudy.objects.published()
    likeness_memo: dict = {}
    filterset = CaseStudyFilter(data, queryset=base, likeness_memo=likeness_memo)
    valid_data = data
    if not filterset.is_valid():
        # Show the results of the filters that make sense, and explain the rest.
        valid_data = data.copy()
        for name in filterset.errors:
            valid_data.pop(name, None)
        applied = CaseStudyFilter(valid_data, queryset=base, likeness_memo=likeness_memo)
        applied.is_valid()
    else:
        applied = filterset
    found = search(applied.qs, applied.form.cleaned_data.get("q"), ranked=ranked)
    sort = applied.form.cleaned_data.get("sort") or ("relevance" if found.active else "newest")
    if sort == "relevance" and not found.active:
        sort = "newest"
    results = found.queryset if sort == "relevance" else found.queryset.order_by(*ORDERINGS[sort])
    shelf = Shelf(
        filterset=filterset,
        results=results,
        search=found,
        sort=sort,
        data=valid_data,
        applied=applied,
        like=applied.form.cleaned_data.get("like"),
        likeness=getattr(applied, "likeness", {}),
    )
    if with_facets:
        if queryset is None:
            # The public shelves: counts are cached until anything on them changes.
            version = shelf_version()
            key = facet_key(valid_data, version)
            shelf.facets = cache.get(key)
            if shelf.facets is None:
                shelf.facets = public_facet_counts(
                    applied, found.narrow, searched=found.active, version=version
                )
                cache.set(key, shelf.facets, FACET_SECONDS)
        else:
            shelf.facets = facet_counts(applied, found.narrow)
    return shelf


def active_filters(filterset: CaseStudyFilter, data: QueryDict) -> list[ActiveFilter]:
    active = []
    cleaned = getattr(filterset.form, "cleaned_data", {})
    for name, bound in filterset.form.fields.items():
        if name in NOT_FILTERS:
            continue
        labels = {str(value): label for value, label in getattr(bound, "choices", [])}
        chosen = cleaned.get(name)
        if isinstance(chosen, Council):  # a code in the address, a name in the chip
            labels = dict.fromkeys(data.getlist(name), chosen.name)
        for value in data.getlist(name):
            if value == "":
                continue
            remaining = data.copy()
            remaining.setlist(name, [v for v in data.getlist(name) if v != value])
            remaining.pop("page", None)
            active.append(
                ActiveFilter(
                    name=name,
                    label=str(bound.label),
                    value_label=str(labels.get(value, value)),
                    remove_url=f"?{remaining.urlencode()}",
                )
            )
    return active


__all__ = ["FACETS", "SORTS", "Shelf", "browse"]


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    count: int | None
    id: str


@dataclass
class FilterGroup:
    name: str
    label: str
    kind: str  # checkboxes, radios, text or year
    options: list[Option] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)
    open: bool = False


CHECKBOX_FILTERS = ["reform_type", "theme", "status", "nation", "region", "council_type"]


def explain_likeness(shelf: Shelf, studies) -> None:
    """Say, on each case study, which of its councils are like the chosen one and why."""
    for study in studies:
        study.likeness_reasons = [
            (link.council.name, shelf.likeness[link.council_id].explanation)
            for link in study.roles_in_order()
            if link.council_id in shelf.likeness
        ]


# The filters drawn as lists of options, in the order the panel shows them.
CHOICE_FILTERS = [
    "reform_type", "theme", "status", "evidence", "has_savings",
    "adopted", "nation", "region", "council_type",
]  # fmt: skip


def filter_panel(shelf: Shelf, data: QueryDict) -> list[FilterGroup]:
    """The filter form as the template draws it: every option with its count."""
    form = shelf.filterset.form
    errors = shelf.filterset.errors
    groups = []
    for name in CHOICE_FILTERS:
        field_ = form.fields[name]
        chosen = set(data.getlist(name))
        counts = shelf.facets.get(name, {})
        kind = "radios" if name == "evidence" else "checkboxes"
        # Numbered as shown, so the first is -0: where the error summary links.
        shown = [(value, label) for value, label in field_.choices if value not in ("", None)]
        options = [
            Option(
                value=str(value),
                label=str(label),
                checked=str(value) in chosen,
                count=counts.get(str(value), 0) if shelf.facets else None,
                id=f"filter-{name}-{index}",
            )
            for index, (value, label) in enumerate(shown)
        ]
        groups.append(
            FilterGroup(
                name=name,
                label=str(field_.label),
                kind=kind,
                options=options,
                errors=list(errors.get(name, [])),
                open=bool(chosen) or name in errors,
            )
        )
    for name, kind in [("council", "text"), ("started_from", "year"), ("started_to", "year")]:
        groups.append(
            FilterGroup(
                name=name,
                label=str(form.fields[name].label),
                kind=kind,
                value=data.get(name, ""),
                errors=list(errors.get(name, [])),
                open=bool(data.get(name)) or name in errors,
            )
        )
    return groups
