"""The one FilterSet behind every view of the shelves, and what each facet means.

The HTML list, the JSON API and the CSV export bind the same query string to
``CaseStudyFilter``, so a URL means the same thing everywhere. Several values
of one filter mean OR; different filters combine with AND; everything
combines with the search words in ``q``.
"""

import functools

import django_filters
from django import forms
from django.db.models import Q

from casestudies.models import CaseStudy, CaseStudyCouncil, DeliveryStatus, EvidenceLevel, ReformType, Theme
from casestudies.shelf_keys import KEY_FIELDS, having_any
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


# Facets: filters whose options show how many results each would give (browse.facets).
FACETS = [
    "reform_type", "theme", "nation", "region", "council_type",
    "status", "evidence", "has_savings", "adopted",
]  # fmt: skip
HAS_SAVINGS = Q(annual_savings_gbp__isnull=False) | Q(one_off_savings_gbp__isnull=False)


def facet_condition(facet: str, value) -> Q | None:
    """Which case studies a facet's value keeps (None: all of them). The one
    meaning of each facet, for the filters and for the facet counts alike."""
    if value in (None, "", [], ()):
        return None
    if facet in KEY_FIELDS:
        return having_any(facet, value)
    if facet == "status":
        return Q(status__in=list(value))
    if facet == "evidence":
        return Q(evidence_level__gte=int(value))
    if facet == "has_savings":
        return HAS_SAVINGS if value == YES else None
    if facet == "adopted":
        return Q(adoption_count__gt=0) if value == YES else None
    raise ValueError(f"{facet} is not a facet")


class KeyFilter(django_filters.MultipleChoiceFilter):
    """Any of several values of a facet kept on the case study's own row
    (casestudies.shelf_keys), so no filter joins or needs DISTINCT."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, distinct=False, **kwargs)

    def filter(self, queryset, value):
        return queryset.filter(facet_condition(self.facet, value)) if value else queryset


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


class VocabularyFilter(KeyFilter):
    """Slugs of a curated vocabulary; choices are read when the form is built."""

    def __init__(self, *args, vocabulary=None, **kwargs):
        self.vocabulary = vocabulary
        super().__init__(*args, choices=self._choices, **kwargs)

    def _choices(self):
        return list(self.vocabulary.objects.order_by("name").values_list("slug", "name"))


class EvidenceFilter(django_filters.TypedChoiceFilter):
    """A level or stronger."""

    def filter(self, queryset, value):
        condition = facet_condition("evidence", value)
        return queryset if condition is None else queryset.filter(condition)


class ConditionFilter(django_filters.ChoiceFilter):
    """A yes-or-nothing choice, filtered by its facet's condition."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        condition = facet_condition(self.facet, value)
        return queryset if condition is None else queryset.filter(condition)


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="applied_elsewhere", label="Search")
    reform_type = VocabularyFilter(
        facet="reform_type", vocabulary=ReformType, label="Reform type", widget=forms.CheckboxSelectMultiple
    )
    theme = VocabularyFilter(
        facet="theme", vocabulary=Theme, label="Service area", widget=forms.CheckboxSelectMultiple
    )
    nation = KeyFilter(
        facet="nation", choices=Nation.choices, label="Nation", widget=forms.CheckboxSelectMultiple
    )
    region = KeyFilter(
        facet="region", choices=[(r, r) for r in REGIONS], label="Region", widget=forms.CheckboxSelectMultiple
    )
    council_type = KeyFilter(
        facet="council_type", choices=CouncilType.choices, label="Type of council",
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    council = CouncilFilter(label="Council")
    like = LikeFilter(label="Councils like")
    status = KeyFilter(
        facet="status", choices=DeliveryStatus.choices, label="Status", widget=forms.CheckboxSelectMultiple
    )
    evidence = EvidenceFilter(
        coerce=int, label="Strength of evidence",
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
    has_savings = ConditionFilter(facet="has_savings", choices=[(YES, "Has a savings figure")], label="Money")
    adopted = ConditionFilter(
        facet="adopted", choices=[(YES, "Adopted by another council")], label="Adopted elsewhere"
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

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # A vocabulary's choices are a callable, read again each time they are gone
            # through (the filter panel, then the filters in use): read them once a form,
            # and only if asked for (the API and the feeds never draw them). A page whose
            # filters could not all be used binds a second form, and reads them again.
            for name, filter_ in self.filters.items():
                if isinstance(filter_, VocabularyFilter):
                    form.fields[name].choices = functools.cache(filter_._choices)
        return self._form

    def applied_elsewhere(self, queryset, name, value):
        # q is applied by search.engine, sort by browse.shelves.
        return queryset
