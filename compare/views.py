import csv
import io

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from browse.page_cache import cache_public_page
from casestudies.models import EVIDENCE_LEVELS, CaseStudy
from compare.comparison import MAX_STUDIES, MIN_STUDIES, SLUG, Choice, address_of, choose, rows_for
from compare.selection import Outcome, chosen_studies, selection_add, selection_clear, selection_remove
from core.spreadsheets import neutralise


@require_safe
@cache_public_page
def comparison(request: HttpRequest) -> HttpResponse:
    """Two to four case studies side by side: a pure function of the address."""
    if request.GET.get("format") == "csv":
        return _csv(request)
    choice = choose(request.GET)
    studies = choice.studies if choice.comparable else []
    context = {
        "choice": choice,
        "columns": [(study, address_of([other for other in studies if other != study])) for study in studies],
        "rows": rows_for(studies, [reverse("peers:contact", args=[study.slug]) for study in studies]),
        "query": address_of(studies),
        "evidence_levels": EVIDENCE_LEVELS,
        "min_studies": MIN_STUDIES,
        "max_studies": MAX_STUDIES,
    }
    return render(request, "compare/comparison.html", context, status=400 if choice.refused else 200)


@require_safe
@cache_public_page
def comparison_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request)


def _refusal(choice: Choice) -> HttpResponse:
    reason = choice.refused or (
        f"Name {MIN_STUDIES} to {MAX_STUDIES} published case studies to compare, as ?s=<slug>&s=<slug>."
    )
    lines = "".join(f"{line}\n" for line in [reason, *choice.left_out])
    return HttpResponse(f"No CSV: {lines}", status=400, content_type="text/plain; charset=utf-8")


def _csv(request: HttpRequest) -> HttpResponse:
    """The comparison as the page lays it out: a row for each thing compared, a column for each study."""
    choice = choose(request.GET)
    if not choice.comparable:
        return _refusal(choice)
    studies = choice.studies
    site = request.build_absolute_uri("/").rstrip("/")
    rows = rows_for(studies, [site + reverse("peers:contact", args=[study.slug]) for study in studies])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Compared", *(neutralise(study.title) for study in studies), "Differs"])
    writer.writerow(["Address", *(site + study.get_absolute_url() for study in studies), ""])
    for row in rows:
        differs = ("yes" if row.differs else "no") if row.compared else ""
        writer.writerow([row.label, *(neutralise(text) for text in row.texts), differs])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="showcase-comparison.csv"'
    return response


@require_safe
def selection(request: HttpRequest) -> HttpResponse:
    """What this visitor has chosen to compare, with a way to leave each out."""
    studies = chosen_studies(request.session)
    return render(
        request,
        "compare/selection.html",
        {
            "studies": studies,
            "query": address_of(studies),
            "min_studies": MIN_STUDIES,
            "max_studies": MAX_STUDIES,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the button was on, if it is one of ours; else to the selection."""
    target = request.POST.get("next", "")
    # A path on this site only: never another host, and never handed to redirect(),
    # which would read a bare word as the name of a view.
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return redirect("compare:selection")


def _outcome_message(outcome: Outcome, study: CaseStudy) -> tuple[int, str]:
    """What adding said, as plain text (escaped wherever it is shown), and how loudly."""
    if outcome.full:
        return messages.ERROR, (
            f"You have already chosen {MAX_STUDIES} case studies, the most you can compare. "
            f"Leave one out before adding “{study.title}”."
        )
    if outcome.added:
        return messages.SUCCESS, (
            f"Added “{study.title}” to your comparison ({outcome.count} of {MAX_STUDIES} chosen)."
        )
    return messages.INFO, f"“{study.title}” is already in your comparison."


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("slug", "")
    if not SLUG.match(slug):  # nothing else is a slug, and PostgreSQL refuses some of it (NUL)
        raise Http404("No published case study has that address.")
    study = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    outcome = selection_add(session=request.session, study=study)
    level, text = _outcome_message(outcome, study)
    if request.headers.get("Accept") == "application/json":  # static/public/js/compare.js
        return JsonResponse(
            {"added": outcome.added, "count": outcome.count, "full": outcome.full, "message": text,
             "selection": reverse("compare:selection")}
        )  # fmt: skip
    link = format_html(
        '<a class="govuk-notification-banner__link" href="{}">See your comparison</a>',
        reverse("compare:selection"),
    )
    messages.add_message(request, level, format_html("{} {}.", text, link))
    return _back(request)


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all") == "yes":
        selection_clear(session=request.session)
        messages.success(request, "Your comparison is empty.")
    elif selection_remove(session=request.session, slug=request.POST.get("slug", "")):
        messages.success(request, "Left that case study out of your comparison.")
    return _back(request)
