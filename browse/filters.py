"""The one FilterSet behind every view of the shelves, and its facet counts.

The HTML list, the JSON API and the CSV export bind the same query string to
``CaseStudyFilter``, so a URL means the same thing everywhere. Several values
of one filter mean OR; different filters combine with AND; everything
combines with the search words in ``q``.
"""

import django_filters
from django import forms
from django.db.models import Count, Q

from casestudies.models import CaseStudy, CaseStudyCouncil, DeliveryStatus, EvidenceLevel, ReformType, Theme
from councils.models import REGIONS, Council, CouncilType, Nation
from councils.similar import councils_like

SORTS = {
    "relevance": "Best match",
    "newest": "Newest",
    "savings": "Largest annual saving",
    "evidence": "Strongest evidence",
    "adopted": "Most adopted",
}
YES = "yes"


def through_councils(**lookups):
    """Case study ids with a council matching ``lookups``, as a subquery. Filtering
    by ``pk__in`` keeps one row per case study however many filters are combined,
    so no filter needs DISTINCT and the joins never multiply."""
    return CaseStudyCouncil.objects.filter(**lookups).values("case_study_id")


class AnyOfFilter(django_filters.MultipleChoiceFilter):
    """Any of several values, matched through a related table by subquery."""

    def __init__(self, *args, ids_for, **kwargs):
        self.ids_for = ids_for
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=self.ids_for(list(value)))


class CouncilField(forms.CharField):
    """A council typed as people type it: a register code, a name or an alias."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        council = Council.objects.resolve(value)
        if council is None:
            raise forms.ValidationError(
                f"No council is called “{value}”. Type part of its name and choose from the list, "
                "or use its register code."
            )
        return council


class CouncilFilter(django_filters.Filter):
    field_class = CouncilField

    def filter(self, queryset, council):
        if council is None:
            return queryset
        # A council's reforms include those of the councils it replaced.
        family = [council.pk, *council.predecessors.values_list("pk", flat=True)]
        return queryset.filter(pk__in=through_councils(council__in=family))


class LikeFilter(django_filters.Filter):
    """Case studies from councils like the one given (see councils.similar)."""

    field_class = CouncilField

    def filter(self, queryset, council):
        if council is None:
            return queryset
        memo = self.parent.likeness_memo
        if council.pk not in memo:
            memo[council.pk] = councils_like(council)
        self.parent.likeness = memo[council.pk]
        return queryset.filter(pk__in=through_councils(council__in=list(self.parent.likeness)))


class VocabularyFilter(AnyOfFilter):
    """Slugs of a curated vocabulary; choices are read when the form is built."""

    def __init__(self, *args, vocabulary=None, field_name: str, **kwargs):
        self.vocabulary = vocabulary
        through = getattr(CaseStudy, field_name).through
        column = f"{vocabulary._meta.model_name}__slug__in"
        super().__init__(
            *args, choices=self._choices, field_name=field_name,
            ids_for=lambda slugs: through.objects.filter(**{column: slugs}).values("casestudy_id"), **kwargs,
        )  # fmt: skip

    def _choices(self):
        return list(self.vocabulary.objects.order_by("name").values_list("slug", "name"))


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="applied_elsewhere", label="Search")
    reform_type = VocabularyFilter(
        field_name="reform_types", vocabulary=ReformType, label="Reform type",
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    theme = VocabularyFilter(
        field_name="themes", vocabulary=Theme, label="Service area", widget=forms.CheckboxSelectMultiple
    )
    nation = AnyOfFilter(
        choices=Nation.choices, label="Nation", widget=forms.CheckboxSelectMultiple,
        ids_for=lambda values: through_councils(council__nation__in=values),
    )  # fmt: skip
    region = AnyOfFilter(
        choices=[(r, r) for r in REGIONS], label="Region", widget=forms.CheckboxSelectMultiple,
        ids_for=lambda values: through_councils(council__region__in=values),
    )  # fmt: skip
    council_type = AnyOfFilter(
        choices=CouncilType.choices, label="Type of council", widget=forms.CheckboxSelectMultiple,
        ids_for=lambda values: through_councils(council__council_type__in=values),
    )  # fmt: skip
    council = CouncilFilter(label="Council")
    like = LikeFilter(label="Councils like")
    status = django_filters.MultipleChoiceFilter(
        # A column of the case study itself: no join, so no DISTINCT (django-filter adds one by
        # default, over every column, and it cost more than the search at 10,000 case studies).
        choices=DeliveryStatus.choices,
        label="Status",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    evidence = django_filters.TypedChoiceFilter(
        field_name="evidence_level", lookup_expr="gte", coerce=int, label="Strength of evidence",
        choices=[(level, f"Level {level} or stronger") for level in EvidenceLevel.values],
        empty_value=None, widget=forms.RadioSelect,
    )  # fmt: skip
    started_from = django_filters.NumberFilter(
        field_name="started_year", lookup_expr="gte", label="Started from (year)", min_value=1900,
        max_value=2100,
    )  # fmt: skip
    started_to = django_filters.NumberFilter(
        field_name="started_year", lookup_expr="lte", label="Started up to (year)", min_value=1900,
        max_value=2100,
    )  # fmt: skip
    has_savings = django_filters.ChoiceFilter(
        method="filter_has_savings", choices=[(YES, "Has a savings figure")], label="Money"
    )
    adopted = django_filters.ChoiceFilter(
        method="filter_adopted", choices=[(YES, "Adopted by another council")], label="Adopted elsewhere"
    )
    sort = django_filters.ChoiceFilter(
        method="applied_elsewhere", choices=list(SORTS.items()), label="Sort by", empty_label=None
    )

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, likeness_memo: dict | None = None, **kwargs):
        # Shared by the FilterSets of one page (results and every facet), so that
        # "councils like" is worked out once however many facets are counted.
        self.likeness_memo = likeness_memo if likeness_memo is not None else {}
        super().__init__(data, queryset, **kwargs)

    def applied_elsewhere(self, queryset, name, value):
        # q is applied by search.engine, sort by browse.shelves.
        return queryset

    def filter_adopted(self, queryset, name, value):
        return queryset.filter(adoption_count__gt=0) if value == YES else queryset

    def filter_has_savings(self, queryset, name, value):
        if value == YES:
            return queryset.filter(Q(annual_savings_gbp__isnull=False) | Q(one_off_savings_gbp__isnull=False))
        return queryset


# Facets: filters whose options show how many results each would give.
FACETS = [
    "reform_type",
    "theme",
    "nation",
    "region",
    "council_type",
    "status",
    "evidence",
    "has_savings",
    "adopted",
]
GROUP_BY = {
    "reform_type": "reform_types__slug",
    "theme": "themes__slug",
    "nation": "councils__nation",
    "region": "councils__region",
    "council_type": "councils__council_type",
    "status": "status",
    "evidence": "evidence_level",
}


def facet_counts(data, base_queryset, narrow, likeness_memo: dict | None = None) -> dict[str, dict[str, int]]:
    """For each facet, the count each option would give with every other
    active filter (and the search) applied: one grouped query per facet."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        others = data.copy()
        others.pop(name, None)
        filterset = CaseStudyFilter(others, queryset=base_queryset, likeness_memo=likeness_memo)
        matching = narrow(filterset.qs if filterset.is_valid() else base_queryset)
        ids = matching.values("pk")
        if name == "has_savings":
            total = CaseStudy.objects.filter(pk__in=ids).filter(
                Q(annual_savings_gbp__isnull=False) | Q(one_off_savings_gbp__isnull=False)
            )
            counts[name] = {YES: total.count()}
            continue
        if name == "adopted":
            counts[name] = {YES: CaseStudy.objects.filter(pk__in=ids, adoption_count__gt=0).count()}
            continue
        rows = (
            CaseStudy.objects.filter(pk__in=ids)
            .values(GROUP_BY[name])
            .annotate(n=Count("pk", distinct=True))
            .values_list(GROUP_BY[name], "n")
        )
        found = {str(value): n for value, n in rows if value is not None}
        if name == "evidence":
            # "Level N or stronger" counts every case study at N and above.
            found = {
                str(level): sum(n for value, n in found.items() if int(value) >= level)
                for level in EvidenceLevel.values
            }
        counts[name] = found
    return counts
