"""Curators' side of moderation: the queue, and the actions on each item."""

from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casestudies.models import Adoption, AdoptionState, CaseStudy, PublicationState
from casestudies.permissions import can, curator_required
from core.pagination import page_links
from moderation import edits
from moderation import transitions as moderation
from moderation.adoption import adoption_approve, adoption_reject
from moderation.changes import compare, form_values, study_values
from moderation.models import ProposedEdit, ProposedEditState
from moderation.submission import CaseStudyForm

QUEUE_PAGE = 50


class Waiting:
    """New submissions, proposed edits and adoptions in one list, oldest first, for a
    Paginator: each kind is read, oldest first, only as far as the page asked for
    reaches, and only what the queue shows of it. (Read whole, with each case study's
    text and its councils, types and themes, 4,000 waiting submissions held a web
    process at 300 MB while it drew the queue.)"""

    def __init__(self):
        submissions = (
            CaseStudy.objects.filter(publication_state=PublicationState.SUBMITTED)
            .annotate(waiting_since=Coalesce("submitted_at", "updated_at"))
            .select_related("created_by")
            .only("title", "submitted_at", "updated_at", "created_by__email")
            .order_by("waiting_since", "pk")
        )
        edits = (
            ProposedEdit.objects.filter(state=ProposedEditState.SUBMITTED)
            .select_related("case_study", "created_by")
            .only("submitted_at", "case_study__title", "created_by__email")
            .order_by("submitted_at", "pk")
        )
        adoptions = (
            Adoption.objects.filter(state=AdoptionState.SUBMITTED)
            .select_related("case_study", "created_by", "council")
            .only(
                "created_at",
                "case_study__title",
                "created_by__email",
                "council__name",
            )
            .order_by("created_at", "pk")
        )
        self.kinds = [(submissions, _submission), (edits, _edit), (adoptions, _adoption)]

    def count(self) -> int:
        return sum(rows.count() for rows, _ in self.kinds)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        items = chain.from_iterable(map(item, rows[: window.stop]) for rows, item in self.kinds)
        return sorted(items, key=lambda item: item["at"])[window]


def _submission(study: CaseStudy) -> dict:
    return {"kind": "New case study", "study": study, "by": study.created_by, "at": study.waiting_since}


def _edit(edit: ProposedEdit) -> dict:
    return {
        "kind": "Proposed edit",
        "study": edit.case_study,
        "by": edit.created_by,
        "at": edit.submitted_at,
        "edit": edit,
    }


def _adoption(adoption: Adoption) -> dict:
    return {
        "kind": "Adoption",
        "study": adoption.case_study,
        "by": adoption.created_by,
        "at": adoption.created_at,
        "adoption": adoption,
    }


@curator_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for a curator, oldest first, a page at a time."""
    page = Paginator(Waiting(), QUEUE_PAGE).get_page(request.GET.get("page"))
    returned = (
        CaseStudy.objects.filter(publication_state=PublicationState.CHANGES_REQUESTED)
        .only("title", "updated_at")
        .order_by("updated_at")
    )
    return render(
        request,
        "moderation/review_queue.html",
        {
            "waiting": page,
            "pagination": page_links(request, page),
            "returned": returned,
            "stale": moderation.stale().only("title", "published_at", "last_confirmed_at")[:200],
        },
    )


@curator_required
@require_safe
def case_study(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(
        CaseStudy.objects.with_shelf_relations().select_related("created_by").prefetch_related("attachments"),
        pk=pk,
    )
    actions = [
        "publish",
        "request_changes",
        "reject",
        "feature",
        "verify_evidence",
        "archive",
        "restore",
        "send_check",
        "edit",
    ]
    allowed = {action for action in actions if can(request.user, action, study)}
    return render(
        request,
        "moderation/review_case_study.html",
        {
            "study": study,
            "allowed": allowed,
            "history": study.history.select_related("actor", "proposed_edit").order_by("-at", "-id"),
            "open_edits": study.proposed_edits.filter(state__in=ProposedEdit.OPEN).select_related(
                "created_by"
            ),
        },
    )


STUDY_ACTIONS = {
    "publish": lambda study, user, message: moderation.publish(study, user, message),
    "request_changes": moderation.request_changes,
    "reject": moderation.reject,
    "feature": lambda study, user, message: moderation.set_featured(study, user, True),
    "unfeature": lambda study, user, message: moderation.set_featured(study, user, False),
    "verify_evidence": moderation.verify_evidence,
    "archive": moderation.archive,
    "restore": lambda study, user, message: moderation.restore(study, user),
    "send_check": lambda study, user, message: moderation.send_accuracy_check(study, user),
}
DONE = {
    "publish": "“{}” is published.",
    "request_changes": "The author has been asked to change “{}”.",
    "reject": "“{}” has been rejected.",
    "feature": "“{}” is featured on the home page.",
    "unfeature": "“{}” is no longer featured.",
    "verify_evidence": "The evidence behind “{}” is marked as verified.",
    "archive": "“{}” is archived: it is no longer public.",
    "restore": "“{}” is published again.",
    "send_check": "The contact for “{}” has been asked whether it is still accurate.",
}


def _message(request: HttpRequest) -> str:
    """What the curator wrote to the author, without NUL characters: never typed,
    invisible, and refused by PostgreSQL (a 500 where the message is recorded)."""
    return request.POST.get("message", "").replace("\x00", "")


# Decisions that cannot be taken back quietly: the button on the review page
# opens a page that says what will happen, and only its form acts.
CONFIRM = {
    "publish": ("Publish this case study?", "Yes, publish it"),
    "reject": ("Reject this case study?", "Reject it"),
}


def _confirm(request: HttpRequest, study: CaseStudy, action: str, **context) -> HttpResponse:
    question, confirm_label = CONFIRM[action]
    status = 400 if context.get("missing_reason") else 200
    return render(
        request,
        "moderation/confirm_action.html",
        {"study": study, "action": action, "question": question, "confirm_label": confirm_label, **context},
        status=status,
    )


@curator_required
@require_http_methods(["GET", "POST"])
def case_study_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    study = get_object_or_404(CaseStudy.objects.with_shelf_relations(), pk=pk)
    permission = "feature" if action == "unfeature" else action
    if action not in STUDY_ACTIONS or not can(request.user, permission, study):
        messages.error(
            request,
            f"“{study.title}” is {study.get_publication_state_display().lower()}: "
            "that cannot be done to it now.",
        )
        return redirect("review:case-study", pk=pk)
    if request.method == "GET":
        if action not in CONFIRM:
            return HttpResponseNotAllowed(["POST"])
        return _confirm(request, study, action, message=request.GET.get("message", ""))
    if action == "reject" and not _message(request).strip():
        return _confirm(request, study, action, message="", missing_reason=True)
    try:
        STUDY_ACTIONS[action](study, request.user, _message(request))
    except moderation.TransitionError as error:
        messages.error(request, str(error))
        return redirect("review:case-study", pk=pk)
    messages.success(request, DONE[action].format(study.title))
    if action in {"publish", "request_changes", "reject"}:
        return redirect("review:queue")
    return redirect("review:case-study", pk=pk)


@curator_required
@require_safe
def proposed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    edit = get_object_or_404(ProposedEdit.objects.select_related("created_by"), pk=pk)
    study = CaseStudy.objects.with_shelf_relations().get(pk=edit.case_study_id)
    form = CaseStudyForm(edits.as_query_dict(edit.data), instance=study, user=request.user, submitting=True)
    current = study_values(study)
    changes = compare(current, form_values(form.cleaned_data)) if form.is_valid() else []
    return render(
        request,
        "moderation/review_edit.html",
        {
            "edit": edit,
            "study": study,
            "changes": changes,
            "form": form,
            "moved_on": study.version != edit.base_version,
            "history": edit.history.select_related("actor").order_by("-at", "-id"),
        },
    )


EDIT_ACTIONS = {
    "accept": (edits.accept_edit, "The edit to “{}” is published."),
    "request_changes": (
        edits.request_edit_changes,
        "The author has been asked to change their edit to “{}”.",
    ),
    "reject": (edits.reject_edit, "The edit to “{}” has been rejected."),
}


def _decide(request: HttpRequest, item, actions: dict, action: str, name: str, page: str) -> HttpResponse:
    """Run a curator's decision on an edit or adoption: back to the queue when done,
    back to the item's page with the reason when it cannot be done."""
    if action not in actions:
        raise PermissionDenied
    function, done = actions[action]
    try:
        function(item, request.user, _message(request))
    except moderation.TransitionError as error:
        messages.error(request, str(error))
        return redirect(page, pk=item.pk)
    messages.success(request, done.format(name))
    return redirect("review:queue")


@curator_required
@require_POST
def proposed_edit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    edit = get_object_or_404(ProposedEdit.objects.select_related("case_study"), pk=pk)
    return _decide(request, edit, EDIT_ACTIONS, action, edit.case_study.title, "review:edit")


@curator_required
@require_safe
def adoption(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Adoption.objects.select_related("case_study", "council", "created_by", "own_case_study"), pk=pk
    )
    return render(
        request,
        "moderation/review_adoption.html",
        {"adoption": found, "history": found.history.select_related("actor").order_by("-at", "-id")},
    )


ADOPTION_ACTIONS = {
    "approve": (adoption_approve, "The adoption by {} is shown on the case study."),
    "reject": (adoption_reject, "The adoption by {} has been rejected."),
}


@curator_required
@require_POST
def adoption_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = get_object_or_404(Adoption.objects.select_related("council"), pk=pk)
    return _decide(request, found, ADOPTION_ACTIONS, action, found.council.name, "review:adoption")


@require_http_methods(["GET", "POST"])
def still_accurate(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's answer to "is this still accurate?", from a signed link; no sign-in needed.
    GET shows the choice, so that mail scanners following the link confirm nothing."""
    study = moderation.study_for_check_token(token)
    if study is None:
        return render(request, "moderation/still_accurate_expired.html", status=400)
    if request.method == "POST":
        moderation.confirm_accurate(study, request.user if request.user.is_authenticated else None)
        return render(request, "moderation/still_accurate_done.html", {"study": study})
    return render(request, "moderation/still_accurate.html", {"study": study})
