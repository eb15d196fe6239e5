"""Finding councils for the directory: by any name the register knows them by
(their own, the official one, other spellings, the names of councils they
replaced) or by a postcode, once ONS's postcode directory has been loaded."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from councils.models import REGIONS, Council, CouncilType, Nation, Postcode, normalise_name
from councils.postcodes import display_postcode, find_postcode, is_postcode, normalise_postcode
from councils.succession import Replacement, replacements

# A name that matches many abolished councils ("vale") says which replaced the first few.
REPLACEMENTS_SHOWN = 5


class DirectoryForm(forms.Form):
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=16,
        help_text="For example, SW1A 1AA. We show the councils whose area holds it.",
    )
    name = forms.CharField(label="Council name", required=False, max_length=200)
    nation = forms.ChoiceField(choices=[("", "All nations"), *Nation.choices], required=False)
    region = forms.ChoiceField(
        choices=[("", "All regions"), *[(region, region) for region in REGIONS]], required=False
    )
    council_type = forms.ChoiceField(
        label="Type", choices=[("", "All types"), *CouncilType.choices], required=False
    )
    include_abolished = forms.BooleanField(label="Include abolished councils", required=False)

    def __init__(self, *args, with_postcodes: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_postcodes:  # no directory loaded: no box, and a postcode in the address means nothing
            del self.fields["postcode"]

    def clean_postcode(self) -> Postcode | None:
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return None
        normalised = normalise_postcode(typed)
        if not is_postcode(normalised):
            raise forms.ValidationError("Enter a full postcode in the Postcode box, like SW1A 1AA")
        found = find_postcode(normalised)
        if found is None:
            raise forms.ValidationError(
                f"We do not know the postcode {display_postcode(normalised)}: check the Postcode box, "
                "or find your council by name"
            )
        return found


@dataclass
class Found:
    councils: QuerySet
    replacements: list[Replacement] = field(default_factory=list)
    postcode: Postcode | None = None


def find_councils(form: DirectoryForm) -> Found:
    """The councils the directory lists for what was typed and chosen. A choice
    it cannot use is left out; the rest still narrow the list."""
    form.is_valid()
    criteria = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
    if criteria.get("postcode"):
        return _by_postcode(criteria["postcode"])
    councils = Council.objects.all()
    if not criteria.get("include_abolished"):
        councils = councils.current()
    found = Found(councils)
    if criteria.get("name"):
        named = by_any_name(criteria["name"])
        found.replacements = replacements(
            list(
                Council.objects.abolished()
                .filter(named)
                .distinct()
                .prefetch_related("replaced_by")
                .order_by("name")[:REPLACEMENTS_SHOWN]
            )
        )
        successors = [council.pk for replaced in found.replacements for council in replaced.successors]
        councils = councils.filter(named | Q(pk__in=successors)).distinct()
    for name in ("nation", "region", "council_type"):
        if criteria.get(name):
            councils = councils.filter(**{name: criteria[name]})
    found.councils = with_counts(councils)
    return found


def by_any_name(typed: str) -> Q:
    """Councils by any name they go by: their own, their official one ("London
    Borough of Harrow"), the register's other names, or their code."""
    key = normalise_name(typed)
    return (
        Q(normalised_name__contains=key)
        | Q(aliases__normalised__contains=key)
        | Q(official_name__icontains=typed.strip())
        | Q(code__iexact=key)
    )


def _by_postcode(postcode: Postcode) -> Found:
    """The council whose area holds the postcode, and the county council above
    it in a two-tier area; a council since replaced leads to its successors."""
    council = postcode.council
    found = replacements([council]) if not council.is_current else []
    ids = [council.pk, *[successor.pk for replaced in found for successor in replaced.successors]]
    if council.county_id:
        ids.append(council.county_id)
    councils = Council.objects.filter(pk__in=ids).current()
    return Found(with_counts(councils), found, postcode)


def with_counts(councils: QuerySet) -> QuerySet:
    # Counted when the shelves change (browse.figures), not for every visitor.
    return councils.annotate(
        case_study_count=Coalesce(F("shelf_figures__led") + F("shelf_figures__partnered"), Value(0))
    ).order_by("name")
