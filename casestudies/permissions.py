"""One place decides who may do what with a case study.

The people: anonymous visitors, the author, officers of the lead council
(the "team"), officers of partner or unrelated councils, and curators (staff).
Each action is allowed for some of them, in some publication states."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from casestudies.models import CaseStudy, PublicationState
from councils.models import MembershipStatus

EDITABLE = {PublicationState.DRAFT, PublicationState.CHANGES_REQUESTED}
State = PublicationState

# Curators' powers, and the states each applies in (None: any state).
CURATOR_ACTIONS: dict[str, set[str] | None] = {
    "view_draft": None,
    "edit": {State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.PUBLISHED},
    "submit": EDITABLE,
    "review": None,
    "publish": {State.SUBMITTED},
    "request_changes": {State.SUBMITTED},
    "reject": {State.SUBMITTED},
    "feature": {State.PUBLISHED},
    "verify_evidence": {State.PUBLISHED},
    "archive": {State.PUBLISHED},
    "restore": {State.ARCHIVED},
    "send_check": {State.PUBLISHED},
    "upload_attachment": {State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.PUBLISHED},
}

# The team's powers (the author and officers of the lead council).
TEAM_ACTIONS: dict[str, set[str] | None] = {
    "view_draft": None,
    "edit": EDITABLE,
    "submit": EDITABLE,
    "withdraw": {State.SUBMITTED},
    "propose_edit": {State.PUBLISHED},
    "upload_attachment": EDITABLE,
}


def is_curator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def council_ids(user: User | AnonymousUser) -> set[int]:
    """The councils an officer is a confirmed member of (cached on the user for the request)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_council_ids"):
        user._council_ids = set(
            user.memberships.filter(status=MembershipStatus.CONFIRMED).values_list("council_id", flat=True)
        )
    return user._council_ids


def is_team(user: User | AnonymousUser, study: CaseStudy) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if study.created_by_id == user.pk:
        return True
    lead = study.lead_council
    return lead is not None and lead.pk in council_ids(user)


def _allowed(table: dict[str, set[str] | None], action: str, state: str) -> bool:
    if action not in table:
        return False
    states = table[action]
    return states is None or state in states


def can(user: User | AnonymousUser, action: str, study: CaseStudy | None = None) -> bool:
    if action == "create":
        return bool(council_ids(user)) or is_curator(user)
    if action == "review_queue":
        return is_curator(user)
    if study is None:
        return False
    if action == "report_adoption":
        # Officers of a council not already behind the reform, once it is published.
        behind = {link.council_id for link in study.council_roles.all()}
        return study.is_published and bool(council_ids(user) - behind)
    if action in {"view", "download_attachment"}:
        return study.is_published or can(user, "view_draft", study)
    state = study.publication_state
    if is_curator(user) and _allowed(CURATOR_ACTIONS, action, state):
        return True
    return is_team(user, study) and _allowed(TEAM_ACTIONS, action, state)


def curator_required(view):
    """For views only curators may open: others signed in get 403, visitors the sign-in page."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_curator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
