"""Curators keep officers' vocabulary: the synonym groups search widens queries with."""

from django import forms
from django.contrib import admin

from search.models import SynonymGroup
from search.vocabulary import entry


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["terms", "note"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 8})}

    def clean_terms(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["terms"].splitlines() if line.strip()]
        unreadable = [line for line in lines if entry(line) is None]
        if unreadable:
            raise forms.ValidationError(
                f"These have no letters or digits to search for: {', '.join(unreadable)}"
            )
        if len(set(lines)) < 2:
            raise forms.ValidationError("A group needs at least two different words or phrases.")
        return "\n".join(dict.fromkeys(lines))


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    form = SynonymGroupForm
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]
