"""The one FilterSet behind every view of the shelves.

The HTML list, and later the JSON API and the CSV export, bind the same query
string to ``CaseStudyFilter``, so a URL means the same thing everywhere.
"""

import django_filters
from django import forms

from casestudies.models import CaseStudy, DeliveryStatus, ReformType, Theme


class CaseStudyFilter(django_filters.FilterSet):
    reform_type = django_filters.ModelMultipleChoiceFilter(
        field_name="reform_types__slug",
        to_field_name="slug",
        queryset=ReformType.objects.all(),
        label="Reform type",
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label="Theme",
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=DeliveryStatus.choices,
        label="Status",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CaseStudy
        fields: list[str] = []
