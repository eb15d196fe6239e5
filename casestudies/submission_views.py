from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from casestudies.models import EVIDENCE_EXPLANATIONS, CaseStudy, EvidenceLevel
from casestudies.permissions import can
from casestudies.submission import CaseStudyForm, draft_save, draft_submit, submission_withdraw


def _study(request: HttpRequest, pk: int, action: str) -> CaseStudy:
    study = get_object_or_404(CaseStudy.objects.with_shelf_relations().prefetch_related("links"), pk=pk)
    if not can(request.user, action, study):
        raise PermissionDenied
    return study


def _form_page(request: HttpRequest, study: CaseStudy) -> HttpResponse:
    submitting = request.POST.get("action") == "submit"
    form = CaseStudyForm(request.POST or None, instance=study, user=request.user, submitting=submitting)
    if request.method == "POST" and form.is_valid():
        study = draft_save(form=form, user=request.user)
        if submitting:
            draft_submit(study=study)
            messages.success(
                request,
                f"“{study.title}” has been sent for review. "
                "We will email you when a curator has looked at it.",
            )
            return redirect("accounts:account")
        messages.success(request, "Your draft has been saved.")
        return redirect("submissions:edit", pk=study.pk)
    return render(
        request,
        "casestudies/submission_form.html",
        {"form": form, "study": study},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "create"):
        raise PermissionDenied
    return _form_page(request, CaseStudy())


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _study(request, pk, "edit"))


@login_required
def submission_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the published page, with a banner saying it is a preview."""
    study = _study(request, pk, "view_draft")
    return render(
        request,
        "casestudies/detail.html",
        {
            "study": study,
            "preview": True,
            "related": [],
            "structured_data": {},
            "evidence_levels": [
                (level, label, EVIDENCE_EXPLANATIONS[level]) for level, label in EvidenceLevel.choices
            ],
        },
    )


@login_required
@require_POST
def submission_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk, "withdraw")
    submission_withdraw(study=study)
    messages.success(request, f"“{study.title}” is back to a draft. Nothing you wrote has been lost.")
    return redirect("accounts:account")
