"""Officers' case studies beyond the task list (moderation.views.drafting): the
preview, withdrawing a submission, proposed edits, attachments and adoptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casestudies.models import EVIDENCE_LEVELS, CaseStudy
from casestudies.permissions import can, is_curator
from moderation import edits
from moderation import transitions as moderation
from moderation.adoption import AdoptionForm, adoption_report
from moderation.attachments import AttachmentForm, attachment_add
from moderation.models import Attachment, ProposedEdit
from moderation.submission import CaseStudyForm
from moderation.views.access import case_study_for


def render_detail(request: HttpRequest, study: CaseStudy, **extra) -> HttpResponse:
    return render(
        request,
        "browse/detail.html",
        {
            "study": study,
            "preview": True,
            "related": [],
            "structured_data": {},
            "evidence_levels": EVIDENCE_LEVELS,
            **extra,
        },
    )


@login_required
@require_safe
def submission_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the published page, with a banner saying it is a preview."""
    return render_detail(request, case_study_for(request, pk, "view_draft"))


@login_required
@require_POST
def submission_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    study = case_study_for(request, pk, "withdraw")
    try:
        moderation.withdraw(study, request.user)
    except moderation.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{study.title}” is back to a draft. Nothing you wrote has been lost.")
    return redirect("accounts:account")


# Proposed edits to published case studies.


def _edit_page(request: HttpRequest, study: CaseStudy, edit: ProposedEdit | None) -> HttpResponse:
    if request.method == "POST":
        form = CaseStudyForm(request.POST, instance=study, user=request.user, submitting=True)
    elif edit:
        form = CaseStudyForm(edits.as_query_dict(edit.data), instance=study, user=request.user)
    else:
        form = CaseStudyForm(instance=study, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if edit and is_curator(request.user) and edit.created_by_id != request.user.pk:
                edits.amend_edit(edit, request.POST)
                messages.success(request, "The proposed edit has been updated. Accept it to publish it.")
                return redirect("review:edit", pk=edit.pk)
            edits.propose_edit(study, request.user, request.POST, edit)
        except moderation.TransitionError as error:
            messages.error(request, str(error))
            return redirect("accounts:account")
        messages.success(
            request,
            f"Your edit to “{study.title}” has been sent for review. "
            "The published page stays as it is until a curator accepts it.",
        )
        return redirect("accounts:account")
    return render(
        request,
        "moderation/propose_edit.html",
        {"form": form, "study": study, "edit": edit},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_edit(request: HttpRequest, pk: int) -> HttpResponse:
    study = case_study_for(request, pk, "propose_edit")
    waiting = study.proposed_edits.filter(created_by=request.user, state__in=ProposedEdit.OPEN).first()
    if waiting:
        return redirect("submissions:proposed-edit", pk=waiting.pk)
    return _edit_page(request, study, None)


def _proposed_edit(request: HttpRequest, pk: int) -> ProposedEdit:
    edit = get_object_or_404(ProposedEdit.objects.select_related("case_study"), pk=pk)
    mine = edit.created_by_id == request.user.pk
    if not (mine or is_curator(request.user)):
        # Someone else's edit: the same answer as for a number never used, so
        # nobody learns which numbers are taken (case_study_for does the same).
        raise Http404
    return edit


@login_required
@require_http_methods(["GET", "POST"])
def proposed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    edit = _proposed_edit(request, pk)
    if not edit.is_open:
        messages.error(request, f"This proposed edit is {edit.get_state_display().lower()}.")
        return redirect("accounts:account")
    study = case_study_for(request, edit.case_study_id, "view")
    return _edit_page(request, study, edit)


@login_required
@require_POST
def proposed_edit_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    edit = _proposed_edit(request, pk)
    try:
        edits.withdraw_edit(edit, request.user)
    except moderation.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your proposed edit has been withdrawn.")
    return redirect("accounts:account")


# Attachments.


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    study = case_study_for(request, pk, "upload_attachment")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = attachment_add(study=study, user=request.user, **form.cleaned_data)
        messages.success(request, f"“{attachment.title}” has been attached ({attachment.kind}).")
        return redirect("submissions:topic", pk=study.pk, topic="documents")
    return render(request, "moderation/attachment_error.html", {"study": study, "form": form}, status=400)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("case_study"), pk=pk)
    study = case_study_for(request, attachment.case_study_id, "upload_attachment")
    attachment.file.delete(save=False)
    attachment.delete()
    messages.success(request, f"“{attachment.title}” has been removed.")
    return redirect("submissions:topic", pk=study.pk, topic="documents")


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Always a download, never shown inline; a draft's files only to those who may see the draft."""
    attachment = get_object_or_404(Attachment.objects.select_related("case_study"), pk=pk)
    study = CaseStudy.objects.with_shelf_relations().get(pk=attachment.case_study_id)
    if not can(request.user, "download_attachment", study):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    if not study.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


# The adoption trail.


@login_required
@require_http_methods(["GET", "POST"])
def report_adoption(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(CaseStudy.objects.published().with_shelf_relations(), slug=slug)
    if not can(request.user, "report_adoption", study):
        raise PermissionDenied
    form = AdoptionForm(request.POST or None, user=request.user, study=study)
    if request.method == "POST" and form.is_valid():
        try:
            adoption_report(study=study, user=request.user, form=form)
        except moderation.TransitionError as error:
            messages.error(request, str(error))
            return redirect("home")
        messages.success(
            request,
            f"Thank you. A curator will check your council's adoption of “{study.title}” and we will email "
            "you when it is shown.",
        )
        return redirect(study.get_absolute_url())
    return render(
        request,
        "moderation/adoption_form.html",
        {"form": form, "study": study},
        status=400 if form.errors else 200,
    )
