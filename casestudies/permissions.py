"""One place decides who may do what with a case study."""

from django.contrib.auth.models import AnonymousUser, User

from casestudies.models import CaseStudy, PublicationState
from councils.models import MembershipStatus

EDITABLE = {PublicationState.DRAFT, PublicationState.CHANGES_REQUESTED}


def is_curator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def council_ids(user: User | AnonymousUser) -> set[int]:
    """The councils an officer is a confirmed member of."""
    if not user.is_authenticated:
        return set()
    return set(
        user.memberships.filter(status=MembershipStatus.CONFIRMED).values_list("council_id", flat=True)
    )


def is_lead_officer(user: User | AnonymousUser, study: CaseStudy) -> bool:
    lead = study.lead_council
    return lead is not None and lead.pk in council_ids(user)


def can(user: User | AnonymousUser, action: str, study: CaseStudy | None = None) -> bool:
    if action == "create":
        return bool(council_ids(user)) or is_curator(user)
    if study is None:
        return False
    if action == "view":
        return study.is_published or can(user, "view_draft", study)
    if is_curator(user):
        return action in {"view_draft", "edit", "submit", "withdraw"}
    author = user.is_authenticated and study.created_by_id == user.pk
    team = author or is_lead_officer(user, study)
    if action == "view_draft":
        return team
    if action in {"edit", "submit"}:
        return team and study.publication_state in EDITABLE
    if action == "withdraw":
        return team and study.publication_state == PublicationState.SUBMITTED
    return False
