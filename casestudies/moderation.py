"""How a case study moves between states, and who hears about it.

Every function here checks the state it starts from inside a transaction
holding the row, records a StateChange (who, when, from what to what, why)
and queues an email to whoever the change concerns, all or nothing.
Who may call which function is for casestudies.permissions to say."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from casestudies import signals
from casestudies.models import (
    Action,
    CaseStudy,
    ProposedEdit,
    ProposedEditState,
    PublicationState,
    StateChange,
    stale_before,
)
from casestudies.search import index_case_studies
from showcase.tasks import send_email

EDITABLE = (PublicationState.DRAFT, PublicationState.CHANGES_REQUESTED)
CHECK_SALT = "casestudies.still-accurate"
CHECK_LINK_DAYS = 60

# Who hears about each action: the author of the case study or proposed edit,
# and/or the curators' shared mailbox.
TELL_CURATORS = {
    Action.SUBMITTED,
    Action.WITHDRAWN,
    Action.EDIT_PROPOSED,
    Action.EDIT_WITHDRAWN,
    Action.ADOPTION_REPORTED,
}
TELL_AUTHOR = {
    Action.PUBLISHED,
    Action.CHANGES_REQUESTED,
    Action.REJECTED,
    Action.FEATURED,
    Action.EVIDENCE_VERIFIED,
    Action.ARCHIVED,
    Action.RESTORED,
    Action.EDIT_ACCEPTED,
    Action.EDIT_CHANGES_REQUESTED,
    Action.EDIT_REJECTED,
    Action.ADOPTION_APPROVED,
    Action.ADOPTION_REJECTED,
}


class TransitionError(Exception):
    """The case study is not in a state where this can happen (someone else may have got there first)."""


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _author_link(change: StateChange) -> str:
    study = change.case_study
    if change.action == Action.CHANGES_REQUESTED:
        return _absolute(reverse("submissions:edit", args=[study.pk]))
    if change.action == Action.EDIT_CHANGES_REQUESTED:
        return _absolute(reverse("submissions:proposed-edit", args=[change.proposed_edit_id]))
    if study.is_published:
        return _absolute(study.get_absolute_url())
    return _absolute(reverse("accounts:account"))


def _notify(change: StateChange) -> None:
    study = change.case_study
    context = {
        "title": study.title,
        "action": change.get_action_display(),
        "message": change.message,
        "actor": change.actor.email if change.actor else "",
    }
    if change.action in TELL_CURATORS:
        if change.proposed_edit_id:
            path = reverse("review:edit", args=[change.proposed_edit_id])
        elif change.adoption_id:
            path = reverse("review:adoption", args=[change.adoption_id])
        else:
            path = reverse("review:case-study", args=[study.pk])
        send_email.enqueue(
            to=[settings.CURATORS_EMAIL],
            template="moderation_curators",
            context={**context, "url": _absolute(path)},
        )
    if change.action in TELL_AUTHOR:
        author = (
            change.proposed_edit.created_by
            if change.proposed_edit_id
            else change.adoption.created_by
            if change.adoption_id
            else study.created_by
        )
        if author and author.email:
            send_email.enqueue(
                to=[author.email],
                template="moderation_author",
                context={**context, "url": _author_link(change), "action_code": change.action},
            )


def record(
    study: CaseStudy, action: Action, actor, *, before: str = "", message: str = "", edit=None, adoption=None
) -> StateChange:
    change = StateChange.objects.create(
        case_study=study,
        proposed_edit=edit,
        adoption=adoption,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        from_state=before,
        to_state=study.publication_state if before else "",
        message=message.strip(),
    )
    _notify(change)
    return change


def _locked(study: CaseStudy, *states: str) -> CaseStudy:
    current = CaseStudy.objects.select_for_update().get(pk=study.pk)
    if states and current.publication_state not in states:
        raise TransitionError(
            f"“{current.title}” is {current.get_publication_state_display().lower()}, so this cannot be done "
            "now. Someone may have acted on it already: reload the page."
        )
    return current


def _move(study: CaseStudy, to: str, action: Action, actor, *, states, message="", **fields) -> CaseStudy:
    with transaction.atomic():
        current = _locked(study, *states)
        before = current.publication_state
        current.publication_state = to
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=["publication_state", "updated_at", *fields])
        record(current, action, actor, before=before, message=message)
    return current


def _required(message: str, what: str) -> str:
    if not message.strip():
        raise TransitionError(f"Enter {what}: the author will see it.")
    return message


def submit(study: CaseStudy, actor) -> CaseStudy:
    return _move(
        study,
        PublicationState.SUBMITTED,
        Action.SUBMITTED,
        actor,
        states=EDITABLE,
        submitted_at=timezone.now(),
    )


def withdraw(study: CaseStudy, actor) -> CaseStudy:
    return _move(study, PublicationState.DRAFT, Action.WITHDRAWN, actor, states=[PublicationState.SUBMITTED])


def publish(study: CaseStudy, actor, message: str = "") -> CaseStudy:
    now = timezone.now()
    study = _move(
        study,
        PublicationState.PUBLISHED,
        Action.PUBLISHED,
        actor,
        states=[PublicationState.SUBMITTED],
        message=message,
        published_at=study.published_at or now,
        last_confirmed_at=now.date(),
    )
    index_case_studies([study.pk])
    signals.published.send(sender=CaseStudy, case_study=study)
    return study


def request_changes(study: CaseStudy, actor, message: str) -> CaseStudy:
    _required(message, "what needs to change")
    return _move(
        study,
        PublicationState.CHANGES_REQUESTED,
        Action.CHANGES_REQUESTED,
        actor,
        states=[PublicationState.SUBMITTED],
        message=message,
    )


def reject(study: CaseStudy, actor, message: str) -> CaseStudy:
    _required(message, "the reason for rejecting it")
    return _move(
        study,
        PublicationState.REJECTED,
        Action.REJECTED,
        actor,
        states=[PublicationState.SUBMITTED],
        message=message,
    )


def archive(study: CaseStudy, actor, message: str = "") -> CaseStudy:
    return _move(
        study,
        PublicationState.ARCHIVED,
        Action.ARCHIVED,
        actor,
        states=[PublicationState.PUBLISHED],
        message=message,
        featured=False,
    )


def restore(study: CaseStudy, actor) -> CaseStudy:
    return _move(
        study, PublicationState.PUBLISHED, Action.RESTORED, actor, states=[PublicationState.ARCHIVED]
    )


def set_featured(study: CaseStudy, actor, featured: bool) -> CaseStudy:
    with transaction.atomic():
        current = _locked(study, PublicationState.PUBLISHED)
        if current.featured != featured:
            current.featured = featured
            current.save(update_fields=["featured", "updated_at"])
            record(current, Action.FEATURED if featured else Action.UNFEATURED, actor)
    return current


def verify_evidence(study: CaseStudy, actor, message: str = "") -> CaseStudy:
    with transaction.atomic():
        current = _locked(study, PublicationState.PUBLISHED)
        if not current.evidence_level:
            raise TransitionError("Give the case study an evidence level before verifying it.")
        if not current.evidence_verified:
            current.evidence_verified = True
            current.save(update_fields=["evidence_verified", "updated_at"])
            record(current, Action.EVIDENCE_VERIFIED, actor, message=message)
    return current


# Proposed edits to published case studies.


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
        current = _locked(study, PublicationState.PUBLISHED)
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
    _required(message, "what needs to change")
    return _decide_edit(
        edit, actor, ProposedEditState.CHANGES_REQUESTED, Action.EDIT_CHANGES_REQUESTED, message
    )


def reject_edit(edit: ProposedEdit, actor, message: str) -> ProposedEdit:
    _required(message, "the reason for rejecting it")
    return _decide_edit(edit, actor, ProposedEditState.REJECTED, Action.EDIT_REJECTED, message)


def accept_edit(edit: ProposedEdit, actor, message: str = "") -> CaseStudy:
    """Apply a proposed edit to the published case study."""
    from casestudies.submission import CaseStudyForm, draft_save

    with transaction.atomic():
        edit = _locked_edit(edit, ProposedEditState.SUBMITTED)
        study = _locked(edit.case_study, PublicationState.PUBLISHED)
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


def stale() -> QuerySet:
    """Published case studies nobody has confirmed for 18 months, oldest first
    (the query form of CaseStudy.is_stale)."""
    return (
        CaseStudy.objects.published()
        .annotate(confirmed=Coalesce("last_confirmed_at", TruncDate("published_at")))
        .filter(confirmed__lt=stale_before())
        .order_by("confirmed", "title")
    )


def check_token(study: CaseStudy) -> str:
    return signing.dumps({"case_study": study.pk}, salt=CHECK_SALT, compress=True)


def study_for_check_token(token: str) -> CaseStudy | None:
    try:
        data = signing.loads(token, salt=CHECK_SALT, max_age=datetime.timedelta(days=CHECK_LINK_DAYS))
    except signing.BadSignature:
        return None
    return CaseStudy.objects.published().filter(pk=data.get("case_study")).first()


def send_accuracy_check(study: CaseStudy, actor) -> None:
    """Ask the case study's contact whether it is still accurate."""
    with transaction.atomic():
        current = _locked(study, PublicationState.PUBLISHED)
        if not current.contact_email:
            raise TransitionError(f"“{current.title}” has no contact email to ask.")
        record(current, Action.CHECK_SENT, actor)
        send_email.enqueue(
            to=[current.contact_email],
            template="still_accurate",
            context={
                "title": current.title,
                "name": current.contact_name,
                "confirmed": current.confirmed_on.strftime("%B %Y") if current.confirmed_on else "",
                "page": _absolute(current.get_absolute_url()),
                "url": _absolute(reverse("casestudies:still-accurate", args=[check_token(current)])),
                "days": CHECK_LINK_DAYS,
            },
        )


def confirm_accurate(study: CaseStudy, actor=None) -> CaseStudy:
    with transaction.atomic():
        current = _locked(study, PublicationState.PUBLISHED)
        current.last_confirmed_at = timezone.localdate()
        current.save(update_fields=["last_confirmed_at", "updated_at"])
        record(
            current,
            Action.CONFIRMED,
            actor,
            message="" if actor else "Confirmed by the contact from the email.",
        )
    return current
