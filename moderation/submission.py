"""Councils writing their own case studies: the form and the steps of a draft.

The form asks for one topic at a time (moderation.topics) or, for a proposed
edit, everything at once. What is saved when a page has errors is the rule in
draft_save's docstring."""

from collections.abc import Iterable

from django import forms
from django.db import transaction
from django.forms.models import construct_instance
from django.utils.text import slugify

from casestudies.fields import Kind, Where, fields_in
from casestudies.models import (
    SUMMARY_MAX_LENGTH,
    CaseStudy,
    CaseStudyCouncil,
    CouncilRole,
    DeliveryStatus,
    EvidenceLevel,
    PublicationState,
    ReformType,
    Theme,
)
from casestudies.signals import announce_changes
from casestudies.validators import NoControlCharacters
from core.choices import RowsByNumber
from councils.models import Council
from moderation.money import PoundsField
from moderation.month_year import MonthYearField, YearMonth
from moderation.topics import FORM_ORDER
from moderation.transitions import EDITABLE

# By form field, in the order the topics ask for them.
REQUIRED_TO_SUBMIT = {
    "summary": "Enter a summary",
    "reform_types": "Choose at least one reform type",
    "challenge": "Describe the challenge",
    "approach": "Describe what you did",
    "outcomes": "Describe what happened",
    "lessons": "Describe the lessons learnt",
    "status": "Choose the status of the reform",
    "started": "Enter the year the reform started",
}
# Without them there is no draft: it needs a name, and a council whose officers may see it.
REQUIRED_TO_START = ("title", "lead_council")

# Councils and partner organisations are typed one a line, into fields of the form's own.
TYPED_ONE_A_LINE = {Kind.COUNCILS, Kind.TEXT_LIST}
MODEL_FIELDS = [
    attribute
    for field in fields_in(Where.FORM)
    if field.kind not in TYPED_ONE_A_LINE
    for attribute in field.attributes
]
# Asked in the form's own fields: one question with two boxes for a year and a month.
MONTH_YEAR = {
    field.name: field.attributes for field in fields_in(Where.FORM) if field.kind is Kind.YEAR_MONTH
}
MONEY = [field.attribute for field in fields_in(Where.FORM) if field.kind is Kind.MONEY]
VOCABULARIES = ["reform_types", "themes"]  # checkboxes posting row numbers


class CaseStudyForm(forms.ModelForm):
    """A case study's fields, all of them or (given ``only``) one topic's.
    Every message names its field."""

    lead_council = forms.ModelChoiceField(
        queryset=Council.objects.none(), label="Lead council", empty_label=None,
        help_text="One of the councils you work for.",
        error_messages={"required": "Choose the lead council",
                        "invalid_choice": "Choose the lead council from the councils you work for"},
    )  # fmt: skip
    partner_councils = forms.CharField(
        label="Partner councils (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text="One council a line: its name or register code.",
    )  # fmt: skip
    partners_text = forms.CharField(
        label="Other partner organisations (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="NHS bodies, police, housing associations, charities: one a line.",
    )  # fmt: skip
    status = forms.ChoiceField(
        choices=DeliveryStatus.choices, required=False, widget=forms.RadioSelect, label="Status of the reform"
    )
    started = MonthYearField(
        label="When the reform started", event="the reform started", required=False,
        help_text="For example, 4 2019. Leave the month empty if you know only the year.",
    )  # fmt: skip
    evidence_level = forms.TypedChoiceField(
        choices=EvidenceLevel.choices, coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
        label="Strength of evidence",
    )  # fmt: skip
    # The version the author opened, to catch a save made meanwhile by someone else.
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False,
        error_messages={"invalid": "This page is out of date: open the case study again"},
    )  # fmt: skip

    class Meta:
        model = CaseStudy
        fields = MODEL_FIELDS
        widgets = {"reform_types": forms.CheckboxSelectMultiple, "themes": forms.CheckboxSelectMultiple}
        field_classes = {**dict.fromkeys(MONEY, PoundsField), **dict.fromkeys(VOCABULARIES, RowsByNumber)}
        help_texts = {
            "summary": f"What was done and what came of it, in at most {SUMMARY_MAX_LENGTH} characters."
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"max_length": f"The summary must be {SUMMARY_MAX_LENGTH} characters or fewer"},
            "contact_email": {
                "invalid": "Enter the contact's email address in the right format, like name@council.gov.uk"
            },
        }

    def __init__(self, *args, user, submitting: bool = False, only: Iterable[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        kept = set(self.fields if only is None else [*only, "version"])
        for name in [*self.fields]:
            # The year and month are asked as one question (``started``), not as two fields.
            if name not in kept or any(name in attributes for attributes in MONTH_YEAR.values()):
                del self.fields[name]
        self.order_fields(FORM_ORDER)
        for name in REQUIRED_TO_SUBMIT:  # a draft may leave them out
            if name in self.fields:
                self.fields[name].required = False
        self._name_the_field_in_every_message()
        self._set_up_choices(user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self._set_initial_from(self.instance)

    def _name_the_field_in_every_message(self) -> None:
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " ").capitalize()).removesuffix(" (optional)")
            if isinstance(field, forms.CharField):
                # Feeds (XML) and email subjects cannot carry control characters.
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(NoControlCharacters(label, multiline=multiline))
                field.error_messages.setdefault(
                    "max_length", f"{label} must be %(limit_value)d characters or fewer"
                )
                field.error_messages["null_characters_not_allowed"] = f"{label} cannot hold a null character"
            elif isinstance(field, forms.ModelMultipleChoiceField):
                for code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
                    field.error_messages[code] = f"Choose {label.lower()} from the list"
            elif isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"Choose the {label.lower()} from the list"

    def _set_up_choices(self, user) -> None:
        if "lead_council" in self.fields:
            councils = Council.objects.of_officer(user)
            lead = self.instance.lead_council if self.instance.pk else None
            if user.is_staff:
                councils = Council.objects.all()
            elif lead:
                # An officer who has since moved council can still save the study's own lead.
                councils = councils | Council.objects.filter(pk=lead.pk)
            self.fields["lead_council"].queryset = councils.distinct().order_by("name")
        if "reform_types" in self.fields:
            self.fields["reform_types"].queryset = ReformType.objects.order_by("name")
        if "themes" in self.fields:
            self.fields["themes"].queryset = Theme.objects.order_by("name")

    def _set_initial_from(self, study: CaseStudy) -> None:
        initial = {
            "lead_council": study.lead_council,
            "partner_councils": "\n".join(
                link.council.name for link in study.roles_in_order() if link.role == CouncilRole.PARTNER
            ),
            "partners_text": "\n".join(study.partners),
        }
        for name, (year, month) in MONTH_YEAR.items():
            year_value = getattr(study, year)
            initial[name] = YearMonth(year_value, getattr(study, month)) if year_value else None
        for name, value in initial.items():
            if name in self.fields:
                self.fields[name].initial = value

    def clean_partner_councils(self) -> list[Council]:
        councils, unknown = [], []
        for line in self.cleaned_data["partner_councils"].splitlines():
            if line.strip():
                council = Council.objects.resolve(line)
                (councils if council else unknown).append(council or line.strip())
        if unknown:
            raise forms.ValidationError(f"We do not know these councils: {', '.join(unknown)}")
        return councils

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name, message in REQUIRED_TO_SUBMIT.items():
                if name in self.fields and name not in self.errors and not cleaned.get(name):
                    self.add_error(name, forms.ValidationError(message, code="required"))
        for name, (year, month) in MONTH_YEAR.items():
            if name in cleaned:
                # Saved by the model form like any of its fields (construct_instance).
                cleaned[year], cleaned[month] = cleaned[name] or (None, None)
        return cleaned

    @property
    def valid_fields(self) -> set[str]:
        """The fields whose values are good to save (all of them, when the form is valid)."""
        return set(self.fields) - set(self.errors)


def _unique_slug(title: str, study: CaseStudy) -> str:
    base = slugify(title)[:180] or "case-study"
    slug, number = base, 2
    while CaseStudy.objects.filter(slug=slug).exclude(pk=study.pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class EditConflict(Exception):
    """Someone saved the case study after this person opened it."""

    def __init__(self, current: CaseStudy):
        super().__init__(f"{current} changed since it was opened")
        self.current = current


def draft_save(*, form: CaseStudyForm, user, check_version: bool = True) -> CaseStudy | None:
    """Save what the author typed, complete or not, and return the case study as saved.

    If someone else saved the case study since this form was opened, raise
    EditConflict and write nothing.

    A page with errors (the rule for partial saves): on a draft (or one sent back
    for changes) every field without an error is saved and every field with one
    keeps its saved value, so the page can be shown again with all that was typed
    and only the mistakes left to put right. Nothing is saved, and None returned,
    when a new case study has no good title or lead council yet, or when the case
    study is past being a draft (a curator's edit to a submitted or published one
    is saved whole or not at all)."""
    valid = form.valid_fields
    if not form.instance.pk and not valid.issuperset(REQUIRED_TO_START):
        return None
    if form.errors and form.instance.pk and form.instance.publication_state not in EDITABLE:
        return None
    # A field with an error is not in cleaned_data, so what follows saves only the rest.
    cleaned = form.cleaned_data
    with transaction.atomic():
        study = _fresh(form, user, check_version)
        construct_instance(form, study, fields=form._meta.fields)
        if not study.slug or study.publication_state == PublicationState.DRAFT:
            study.slug = _unique_slug(study.title, study)
        if "partners_text" in cleaned:
            study.partners = [line.strip() for line in cleaned["partners_text"].splitlines() if line.strip()]
        study.save()
        for field in CaseStudy._meta.many_to_many:
            if field.name in cleaned:
                field.save_form_data(study, cleaned[field.name])
        _save_councils(study, cleaned)
        announce_changes([study.pk])
    return study


def _fresh(form: CaseStudyForm, user, check_version: bool) -> CaseStudy:
    """The case study as saved, locked, its version moved on; or a new draft.
    Not the form's instance, which holds what was typed, mistakes and all."""
    if not form.instance.pk:
        return CaseStudy(created_by=user, publication_state=PublicationState.DRAFT)
    study = CaseStudy.objects.select_for_update().get(pk=form.instance.pk)
    if check_version and form.cleaned_data.get("version") != study.version:
        raise EditConflict(CaseStudy.objects.with_shelf_relations().get(pk=study.pk))
    study.version += 1
    return study


def _save_councils(study: CaseStudy, cleaned: dict) -> None:
    """The lead and partner councils typed, or for either one with an error, those saved."""
    if "lead_council" not in cleaned and "partner_councils" not in cleaned:
        return
    roles = list(study.council_roles.select_related("council"))
    lead = cleaned.get("lead_council") or next(
        link.council for link in roles if link.role == CouncilRole.LEAD
    )
    partners = cleaned.get("partner_councils")
    if partners is None:
        partners = [link.council for link in roles if link.role == CouncilRole.PARTNER]
    study.council_roles.all().delete()
    CaseStudyCouncil.objects.create(case_study=study, council=lead, role=CouncilRole.LEAD)
    for council in partners:
        if council.pk != lead.pk:
            CaseStudyCouncil.objects.get_or_create(case_study=study, council=council)
