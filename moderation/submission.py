"""Councils writing their own case studies: the form and the steps of a draft."""

from django import forms
from django.db import transaction
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
from councils.models import Council

REQUIRED_TO_SUBMIT = {
    "summary": "Enter a summary",
    "status": "Choose the status of the reform",
    "started_year": "Enter the year the reform started",
    "challenge": "Describe the challenge",
    "approach": "Describe what you did",
    "outcomes": "Describe what happened",
    "lessons": "Describe the lessons learnt",
}

# Councils and partner organisations are typed one a line, into fields of the form's own.
TYPED_ONE_A_LINE = {Kind.COUNCILS, Kind.TEXT_LIST}
MODEL_FIELDS = [
    attribute
    for field in fields_in(Where.FORM)
    if field.kind not in TYPED_ONE_A_LINE
    for attribute in field.attributes
]


class CaseStudyForm(forms.ModelForm):
    lead_council = forms.ModelChoiceField(
        queryset=Council.objects.none(), label="Lead council", empty_label=None,
        help_text="One of the councils you work for.",
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
    evidence_level = forms.TypedChoiceField(
        choices=EvidenceLevel.choices, coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
        label="Strength of evidence",
    )  # fmt: skip
    # The version the author opened, to catch a save made meanwhile by someone else.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CaseStudy
        fields = MODEL_FIELDS
        widgets = {"reform_types": forms.CheckboxSelectMultiple, "themes": forms.CheckboxSelectMultiple}
        help_texts = {
            "summary": f"What was done and what came of it, in at most {SUMMARY_MAX_LENGTH} characters."
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"max_length": f"The summary must be {SUMMARY_MAX_LENGTH} characters or fewer"},
            "started_year": {"invalid": "Enter the year as a number, like 2015"},
            "contact_email": {
                "invalid": "Enter an email address in the right format, like name@council.gov.uk"
            },
        }

    def __init__(self, *args, user, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        councils = Council.objects.of_officer(user)
        lead = self.instance.lead_council if self.instance.pk else None
        if user.is_staff:
            councils = Council.objects.all()
        elif lead:
            # An officer who has since moved council can still save the study's own lead.
            councils = councils | Council.objects.filter(pk=lead.pk)
        self.fields["lead_council"].queryset = councils.distinct().order_by("name")
        self.fields["reform_types"].queryset = ReformType.objects.order_by("name")
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                # Feeds (XML) and email subjects cannot carry control characters.
                label = field.label or name.replace("_", " ").capitalize()
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(NoControlCharacters(label, multiline=multiline))
        for name in REQUIRED_TO_SUBMIT:  # a draft may leave them out
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["lead_council"].initial = lead
            self.fields["version"].initial = self.instance.version
            roles = self.instance.roles_in_order()
            self.fields["partner_councils"].initial = "\n".join(
                link.council.name for link in roles if link.role == CouncilRole.PARTNER
            )
            self.fields["partners_text"].initial = "\n".join(self.instance.partners)

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
                if not cleaned.get(name):
                    self.add_error(name, message)
            if not cleaned.get("reform_types"):
                self.add_error("reform_types", "Choose at least one reform type")
        return cleaned


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


def draft_save(*, form: CaseStudyForm, user, check_version: bool = True) -> CaseStudy:
    """Save what the author typed, complete or not. If someone else saved the
    case study since this form was opened, raise EditConflict and write nothing."""
    with transaction.atomic():
        study = form.instance
        if study.pk:
            saved = CaseStudy.objects.select_for_update().only("version").get(pk=study.pk)
            opened = form.cleaned_data.get("version")
            if check_version and opened != saved.version:
                raise EditConflict(CaseStudy.objects.with_shelf_relations().get(pk=study.pk))
            study.version = saved.version + 1
        study = form.save(commit=False)
        if not study.pk:
            study.created_by = user
            study.publication_state = PublicationState.DRAFT
        if not study.slug or study.publication_state == PublicationState.DRAFT:
            study.slug = _unique_slug(study.title, study)
        study.partners = [
            line.strip() for line in form.cleaned_data["partners_text"].splitlines() if line.strip()
        ]
        study.save()
        form.save_m2m()
        study.council_roles.all().delete()
        lead = form.cleaned_data["lead_council"]
        CaseStudyCouncil.objects.create(case_study=study, council=lead, role=CouncilRole.LEAD)
        for council in form.cleaned_data["partner_councils"]:
            if council.pk != lead.pk:
                CaseStudyCouncil.objects.get_or_create(case_study=study, council=council)
        announce_changes([study.pk])
    return study
