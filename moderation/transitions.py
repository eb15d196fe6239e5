"""How a case study moves between states, and who hears about it.

Every function here checks the state it starts from inside a transaction
holding the row, records a StateChange (who, when, from what to what, why)
and queues an email to whoever the change concerns, all or nothing.
Who may call which function is for casestudies.permissions to say."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from casestudies import signals
from casestudies.models import CaseStudy, PublicationState, stale_before
from core.tasks import send_email
from core.tokens import SignedLink
from moderation.models import Action, StateChange

EDITABLE = (PublicationState.DRAFT, PublicationState.CHANGES_REQUESTED)
CHECK_LINK_DAYS = 60
CHECK_LINK = SignedLink("casestudies.still-accurate", datetime.timedelta(days=CHECK_LINK_DAYS))

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


def locked(study: CaseStudy, *states: str) -> CaseStudy:
    current = CaseStudy.objects.select_for_update().get(pk=study.pk)
    if states and current.publication_state not in states:
        raise TransitionError(
            f"“{current.title}” is {current.get_publication_state_display().lower()}, so this cannot be done "
            "now. Someone may have acted on it already: reload the page."
        )
    return current


def _move(study: CaseStudy, to: str, action: Action, actor, *, states, message="", **fields) -> CaseStudy:
    with transaction.atomic():
        current = locked(study, *states)
        before = current.publication_state
        current.publication_state = to
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=["publication_state", "updated_at", *fields])
        record(current, action, actor, before=before, message=message)
        if PublicationState.PUBLISHED in (before, to):
            # What the public may read has changed, and with it what is derived
            # from it: search's documents and its suggestion vocabulary.
            signals.announce_changes([current.pk])
    return current


def required(message: str, what: str) -> str:
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
    signals.published.send(sender=CaseStudy, case_study=study)
    return study


def request_changes(study: CaseStudy, actor, message: str) -> CaseStudy:
    required(message, "what needs to change")
    return _move(
        study,
        PublicationState.CHANGES_REQUESTED,
        Action.CHANGES_REQUESTED,
        actor,
        states=[PublicationState.SUBMITTED],
        message=message,
    )


def reject(study: CaseStudy, actor, message: str) -> CaseStudy:
    required(message, "the reason for rejecting it")
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
        current = locked(study, PublicationState.PUBLISHED)
        if current.featured != featured:
            current.featured = featured
            current.save(update_fields=["featured", "updated_at"])
            record(current, Action.FEATURED if featured else Action.UNFEATURED, actor)
    return current


def verify_evidence(study: CaseStudy, actor, message: str = "") -> CaseStudy:
    with transaction.atomic():
        current = locked(study, PublicationState.PUBLISHED)
        if not current.evidence_level:
            raise TransitionError("Give the case study an evidence level before verifying it.")
        if not current.evidence_verified:
            current.evidence_verified = True
            current.save(update_fields=["evidence_verified", "updated_at"])
            record(current, Action.EVIDENCE_VERIFIED, actor, message=message)
    return current


# Proposed edits to published case studies.


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
    return CHECK_LINK.make(case_study=study.pk)


def study_for_check_token(token: str) -> CaseStudy | None:
    data = CHECK_LINK.read(token)
    if data is None:
        return None
    return CaseStudy.objects.published().filter(pk=data.get("case_study")).first()


def send_accuracy_check(study: CaseStudy, actor) -> None:
    """Ask the case study's contact whether it is still accurate."""
    with transaction.atomic():
        current = locked(study, PublicationState.PUBLISHED)
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
                "url": _absolute(reverse("moderation:still-accurate", args=[check_token(current)])),
                "days": CHECK_LINK_DAYS,
            },
        )


def confirm_accurate(study: CaseStudy, actor=None) -> CaseStudy:
    with transaction.atomic():
        current = locked(study, PublicationState.PUBLISHED)
        current.last_confirmed_at = timezone.localdate()
        current.save(update_fields=["last_confirmed_at", "updated_at"])
        record(
            current,
            Action.CONFIRMED,
            actor,
            message="" if actor else "Confirmed by the contact from the email.",
        )
    return current
