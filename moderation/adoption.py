"""The adoption trail: councils that took up a reform say how it went there.
Curators approve each record before it is shown."""

from django import forms
from django.db import transaction

from casestudies.models import (
    Adoption,
    AdoptionState,
    CaseStudy,
    CouncilRole,
    DeliveryStatus,
    PublicationState,
)
from casestudies.validators import NoControlCharacters
from councils.models import Council
from moderation.models import Action
from moderation.money import PoundsField
from moderation.month_year import MonthYearField, YearMonth
from moderation.transitions import TransitionError, record


class AdoptionForm(forms.ModelForm):
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        label="Which council adopted it",
        empty_label=None,
        error_messages={"required": "Choose your council", "invalid_choice": "Choose one of your councils"},
    )
    status = forms.ChoiceField(
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
        label="How far has it got?",
        error_messages={"required": "Choose how far it has got"},
    )
    # One question, as the submission asks when a reform started: GOV.UK's date
    # input without the day, whose boxes post adopted_month and adopted_year.
    adopted = MonthYearField(
        label="When did your council adopt it?", event="your council adopted it",
        help_text="For example, 4 2019. Leave the month empty if you know only the year.",
    )  # fmt: skip
    own_case_study = forms.ModelChoiceField(
        queryset=CaseStudy.objects.none(),
        required=False,
        label="Your own case study (optional)",
        empty_label="None",
        help_text="If your council wrote up its version, link it here.",
    )

    class Meta:
        model = Adoption
        fields = [
            "council",
            "changes",
            "status",
            "outcomes",
            "annual_savings_gbp",
            "own_case_study",
        ]
        field_classes = {"annual_savings_gbp": PoundsField}
        widgets = {
            "changes": forms.Textarea(attrs={"rows": 5}),
            "outcomes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "changes": "What you did differently from the original, and why.",
            "outcomes": "What happened: results, problems, whether you would do it again.",
        }
        error_messages = {
            "changes": {"required": "Describe what you changed"},
            "outcomes": {"required": "Describe what happened"},
        }

    def __init__(self, *args, user, study: CaseStudy, **kwargs):
        super().__init__(*args, **kwargs)
        behind = study.council_roles.values("council_id")
        mine = Council.objects.of_officer(user)
        self.fields["council"].queryset = mine.exclude(pk__in=behind).order_by("name")
        self.fields["own_case_study"].queryset = (
            CaseStudy.objects.published()
            .filter(council_roles__council__in=mine, council_roles__role=CouncilRole.LEAD)
            .exclude(pk=study.pk)
            .order_by("title")
        )
        self.order_fields(["council", "adopted", "changes", "status", "outcomes"])
        for name in ["changes", "outcomes"]:
            self.fields[name].validators.append(NoControlCharacters(self.fields[name].label, multiline=True))
        if self.instance.pk:
            self.fields["adopted"].initial = YearMonth(
                self.instance.adopted_year, self.instance.adopted_month
            )
        self.study = study

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adopted"):
            self.instance.adopted_year, self.instance.adopted_month = cleaned["adopted"]
        council = cleaned.get("council")
        if (
            council
            and Adoption.objects.filter(
                case_study=self.study,
                council=council,
                state__in=[AdoptionState.SUBMITTED, AdoptionState.APPROVED],
            ).exists()
        ):
            self.add_error("council", f"{council.name} has already recorded adopting this reform")
        return cleaned


def _recount(study: CaseStudy) -> None:
    # Saving the adoption has already told the shelves they changed (casestudies.apps).
    CaseStudy.objects.filter(pk=study.pk).update(
        adoption_count=Adoption.objects.filter(case_study=study, state=AdoptionState.APPROVED).count()
    )


def adoption_report(*, study: CaseStudy, user, form: AdoptionForm) -> Adoption:
    with transaction.atomic():
        if (
            not CaseStudy.objects.select_for_update()
            .filter(pk=study.pk, publication_state=PublicationState.PUBLISHED)
            .exists()
        ):
            raise TransitionError("This case study is no longer published.")
        adoption = form.save(commit=False)
        adoption.case_study = study
        adoption.created_by = user
        adoption.save()
        record(study, Action.ADOPTION_REPORTED, user, adoption=adoption)
    return adoption


def _decide(adoption: Adoption, actor, state: str, action: Action, message: str = "", *, states) -> Adoption:
    with transaction.atomic():
        current = Adoption.objects.select_for_update().select_related("case_study").get(pk=adoption.pk)
        if current.state not in states:
            raise TransitionError(f"This adoption is {current.get_state_display().lower()} already.")
        current.state = state
        current.save(update_fields=["state"])
        _recount(current.case_study)
        record(current.case_study, action, actor, adoption=current, message=message)
    return current


def adoption_approve(adoption: Adoption, actor, message: str = "") -> Adoption:
    return _decide(
        adoption,
        actor,
        AdoptionState.APPROVED,
        Action.ADOPTION_APPROVED,
        message,
        states=[AdoptionState.SUBMITTED],
    )


def adoption_reject(adoption: Adoption, actor, message: str) -> Adoption:
    if not message.strip():
        raise TransitionError("Enter the reason for rejecting it: the officer will see it.")
    return _decide(
        adoption,
        actor,
        AdoptionState.REJECTED,
        Action.ADOPTION_REJECTED,
        message,
        states=[AdoptionState.SUBMITTED, AdoptionState.APPROVED],
    )


def adoption_withdraw(adoption: Adoption, actor) -> Adoption:
    return _decide(
        adoption,
        actor,
        AdoptionState.WITHDRAWN,
        Action.ADOPTION_WITHDRAWN,
        states=[AdoptionState.SUBMITTED, AdoptionState.APPROVED],
    )
