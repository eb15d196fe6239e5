"""Proposed edits to published case studies: the published version stays live
and unchanged until a curator accepts the edit, which is then applied through
the same form and save as a draft, so it is validated exactly the same way."""

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from casestudies.models import CaseStudy, PublicationState
from moderation.models import Action, ProposedEdit, ProposedEditState
from moderation.submission import CaseStudyForm, draft_save
from moderation.transitions import TransitionError, locked, record, required


def post_data(data: QueryDict) -> dict[str, list[str]]:
    """What a form posted, as JSON, without the CSRF token or the button pressed."""
    return {key: data.getlist(key) for key in data if key not in {"csrfmiddlewaretoken", "action"}}


def as_query_dict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _locked_edit(edit: ProposedEdit, *states: str) -> ProposedEdit:
    current = ProposedEdit.objects.select_for_update().select_related("case_study").get(pk=edit.pk)
    if current.state not in states:
        raise TransitionError(
            f"This proposed edit is {current.get_state_display().lower()}, so this cannot be done now."
        )
    return current


def propose_edit(study: CaseStudy, actor, data: QueryDict, edit: ProposedEdit | None = None) -> ProposedEdit:
    """Send a change to a published case study for review (or resend one a curator returned)."""
    with transaction.atomic():
        current = locked(study, PublicationState.PUBLISHED)
        if edit is None:
            edit = ProposedEdit.objects.create(
                case_study=current, data=post_data(data), created_by=actor, base_version=current.version
            )
        else:
            edit = _locked_edit(edit, *ProposedEdit.OPEN)
            edit.data = post_data(data)
            edit.state = ProposedEditState.SUBMITTED
            edit.submitted_at = timezone.now()
            edit.save()
        record(current, Action.EDIT_PROPOSED, actor, edit=edit)
    return edit


def amend_edit(edit: ProposedEdit, data: QueryDict) -> ProposedEdit:
    """A curator improves a proposed edit before accepting it."""
    with transaction.atomic():
        edit = _locked_edit(edit, *ProposedEdit.OPEN)
        edit.data = post_data(data)
        edit.save(update_fields=["data"])
    return edit


def _decide_edit(edit: ProposedEdit, actor, state: str, action: Action, message: str = "") -> ProposedEdit:
    with transaction.atomic():
        edit = _locked_edit(edit, *ProposedEdit.OPEN)
        edit.state = state
        edit.save(update_fields=["state"])
        record(edit.case_study, action, actor, edit=edit, message=message)
    return edit


def withdraw_edit(edit: ProposedEdit, actor) -> ProposedEdit:
    return _decide_edit(edit, actor, ProposedEditState.WITHDRAWN, Action.EDIT_WITHDRAWN)


def request_edit_changes(edit: ProposedEdit, actor, message: str) -> ProposedEdit:
    required(message, "what needs to change")
    return _decide_edit(
        edit, actor, ProposedEditState.CHANGES_REQUESTED, Action.EDIT_CHANGES_REQUESTED, message
    )


def reject_edit(edit: ProposedEdit, actor, message: str) -> ProposedEdit:
    required(message, "the reason for rejecting it")
    return _decide_edit(edit, actor, ProposedEditState.REJECTED, Action.EDIT_REJECTED, message)


def accept_edit(edit: ProposedEdit, actor, message: str = "") -> CaseStudy:
    """Apply a proposed edit to the published case study."""
    with transaction.atomic():
        edit = _locked_edit(edit, ProposedEditState.SUBMITTED)
        study = locked(edit.case_study, PublicationState.PUBLISHED)
        form = CaseStudyForm(as_query_dict(edit.data), instance=study, user=actor, submitting=True)
        if not form.is_valid():
            problems = "; ".join(
                f"{form[name].label if name in form.fields else name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            raise TransitionError(f"The edit cannot be applied as it stands. {problems}")
        study = draft_save(form=form, user=actor, check_version=False)
        study.last_confirmed_at = timezone.localdate()
        study.save(update_fields=["last_confirmed_at"])
        edit.state = ProposedEditState.ACCEPTED
        edit.save(update_fields=["state"])
        record(study, Action.EDIT_ACCEPTED, actor, edit=edit, message=message)
    return study


# Keeping the shelves fresh.
