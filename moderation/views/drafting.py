"""Officers writing a case study, as GOV.UK's task list: one page for each topic,
saved as they go; the task list saying how far each has got; and a page to
check everything and submit it, the only place a case study is submitted from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from casestudies.models import CaseStudy
from casestudies.permissions import can
from moderation import progress
from moderation import transitions as moderation
from moderation.attachments import AttachmentForm
from moderation.changes import compare, form_values, study_values
from moderation.submission import CaseStudyForm, EditConflict, draft_save
from moderation.topics import BY_SLUG, DOCUMENTS, FIRST, TOPICS, Topic, form_names
from moderation.views.access import case_study_for, history

CONFLICT = (
    "Someone else saved this case study after you opened it. Your changes have not been "
    "saved yet. Check the differences below, then save again to keep your version."
)
CHANGED_SINCE = (
    "This case study has changed since you opened this page. Check the answers again, then submit."
)


def _task_list(request: HttpRequest, study: CaseStudy) -> HttpResponse:
    tasks = progress.tasks(study)
    return render(
        request,
        "moderation/submission_tasks.html",
        {
            "study": study,
            "tasks": tasks,
            "completed": sum(task.status == progress.COMPLETED for task in tasks),
            "ready": bool(study.pk) and not progress.missing(study),
            "history": list(history(study)) if study.pk else [],
        },
    )


@login_required
@require_safe
def submission_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "create"):
        raise PermissionDenied
    return _task_list(request, CaseStudy())


@login_required
@require_safe
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_list(request, case_study_for(request, pk, "edit"))


@login_required
@require_http_methods(["GET", "POST"])
def submission_start(request: HttpRequest) -> HttpResponse:
    """The first topic of a new case study: saving it makes the draft."""
    if not can(request.user, "create"):
        raise PermissionDenied
    return _topic_page(request, CaseStudy(), FIRST)


@login_required
@require_http_methods(["GET", "POST"])
def submission_topic(request: HttpRequest, pk: int, topic: str) -> HttpResponse:
    study = case_study_for(request, pk, "edit")
    if topic == DOCUMENTS.slug:
        if request.method != "GET":  # documents are uploaded and removed at addresses of their own
            return HttpResponseNotAllowed(["GET"])
        return _documents_page(request, study)
    if topic not in BY_SLUG:
        raise Http404
    return _topic_page(request, study, BY_SLUG[topic])


def _form(request: HttpRequest, study: CaseStudy, topic: Topic, data: QueryDict | None) -> CaseStudyForm:
    return CaseStudyForm(data, instance=study, user=request.user, only=topic.form_fields)


def _at_version(data: QueryDict, version: int) -> QueryDict:
    """What was posted, as if the page had been opened at ``version``."""
    data = data.copy()
    data["version"] = str(version)
    return data


def _topic_page(request: HttpRequest, study: CaseStudy, topic: Topic) -> HttpResponse:
    form = _form(request, study, topic, request.POST or None)
    conflict, saved_the_rest = [], False
    if request.method == "POST":
        form.is_valid()
        try:
            saved = draft_save(form=form, user=request.user)
        except EditConflict as clash:
            # Keep everything they typed, show what changed, and let a second save
            # (now against the latest version) replace it deliberately.
            valid = [field for field in topic.fields if set(form_names(field)) <= form.valid_fields]
            conflict = compare(study_values(clash.current), form_values(form.cleaned_data, valid))
            study = clash.current
            form = _form(request, study, topic, _at_version(request.POST, study.version))
            form.full_clean()
            form.add_error(None, CONFLICT)
        else:
            if saved and not form.errors:
                messages.success(request, "Your draft has been saved.")
                return redirect("submissions:edit", pk=saved.pk)
            if saved:
                # The rest is saved: the page again, at the version now saved, with all they typed.
                study, saved_the_rest = saved, True
                form = _form(request, study, topic, _at_version(request.POST, study.version))
                form.full_clean()
    return render(
        request,
        "moderation/submission_topic.html",
        {
            "form": form,
            "study": study,
            "topic": topic,
            "conflict": conflict,
            "saved_the_rest": saved_the_rest,
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


def _documents_page(request: HttpRequest, study: CaseStudy) -> HttpResponse:
    return render(
        request,
        "moderation/submission_documents.html",
        {
            "study": study,
            "topic": DOCUMENTS,
            "attachment_form": AttachmentForm(),
            "can_upload": can(request.user, "upload_attachment", study),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Every answer, with a link to change it; submitting once nothing required is missing."""
    study = case_study_for(request, pk, "edit")
    problems, changed_since = [], False
    if request.method == "POST":
        if not can(request.user, "submit", study):
            raise PermissionDenied
        problems = progress.missing(study)
        changed_since = request.POST.get("version") != str(study.version)
        if not problems and not changed_since:
            return _submit(request, study)
    return render(
        request,
        "moderation/submission_check.html",
        {
            "study": study,
            "problems": problems,
            "changed_since": CHANGED_SINCE if changed_since else "",
            "topics": [
                (topic, progress.topic_url(study, topic), progress.answers(study, topic)) for topic in TOPICS
            ],
            "documents_url": progress.topic_url(study, DOCUMENTS),
            "can_submit": can(request.user, "submit", study),
        },
        status=400 if problems else 409 if changed_since else 200,
    )


def _submit(request: HttpRequest, study: CaseStudy) -> HttpResponse:
    try:
        moderation.submit(study, request.user)
    except moderation.TransitionError as error:
        messages.error(request, str(error))
        return redirect("accounts:account")
    messages.success(
        request,
        f"“{study.title}” has been sent for review. We will email you when a curator has looked at it.",
    )
    return redirect("accounts:account")
