import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import LINK_LIFETIME
from accounts.services import OWN_CLIENT_DAYS
from browse.figures import home_figures
from browse.page_cache import cache_public_page
from casestudies.models import (
    EVIDENCE_EXPLANATIONS,
    CaseStudy,
    EvidenceLevel,
)
from core.clients import client_address
from core.worker import worker_is_alive
from curated.models import Collection
from pages.feedback import FEEDBACK_LIMIT, FeedbackForm, feedback_send
from peers.models import CONTENT_RETENTION_DAYS

logger = logging.getLogger(__name__)


@require_safe
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    # The figures are counted when the shelves change (browse.figures), never here.
    # In the order of the index published_newest_first (NULLS LAST, as PostgreSQL needs to use it).
    newest = [F("published_at").desc(nulls_last=True), "-id"]
    recent = CaseStudy.objects.published().for_lists(terms=("reform_types",)).order_by(*newest)[:6]
    featured = Collection.objects.featured()
    return render(request, "pages/home.html", {**home_figures(), "recent": recent, "collections": featured})


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/about.html",
        {
            "evidence_levels": [
                (level, label, EVIDENCE_EXPLANATIONS[level]) for level, label in EvidenceLevel.choices
            ]
        },
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {
            "site_operator": settings.SITE_OPERATOR,
            "log_days": settings.SERVER_LOG_DAYS,
            "link_minutes": int(LINK_LIFETIME.total_seconds() // 60),
            "client_days": OWN_CLIENT_DAYS,
            "retention_days": CONTENT_RETENTION_DAYS,
        },
    )


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
        },
    )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and people. The status code says whether this web
    server can serve pages, which needs the database: 503 when it cannot. The
    worker is reported beside it ("ok", or "stale" when no worker has written a
    heartbeat within WORKER_LEASE_SECONDS) but never makes it 503: every web
    server would be pulled at once for something none of them can fix, while
    email simply waits in the queue. Nothing here names a host or a port; the
    database's own error goes to the log."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = "ok" if worker_is_alive() else "stale"
    except DatabaseError as error:
        logger.error("Health check: database unreachable: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable", "worker": "unknown"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without touching the database or the session, which may be
    what failed."""
    try:
        html = loader.render_to_string("500.html", {"site_name": "Showcase"})
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        html = "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    return HttpResponse(html, status=500)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /case-studies/export.csv",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    came_from = request.POST.get("page") or request.GET.get("page") or request.headers.get("Referer")
    page = safe_local_path(came_from)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not FEEDBACK_LIMIT.take(client_address(request) or "unknown"):
            return render(request, "pages/feedback_too_many.html", status=429)
        feedback_send(cleaned=form.cleaned_data, page=page)
        context = {"sent": True, "page": page, "replying": bool(form.cleaned_data["email"])}
        return render(request, "pages/feedback.html", context)
    status = 400 if form.errors else 200
    return render(request, "pages/feedback.html", {"form": form, "page": page}, status=status)


def safe_local_path(target: str | None) -> str:
    """A path on this site to go back to, or nothing."""
    if not target:
        return ""
    path = urlsplit(target).path
    return path if path.startswith("/") and not path.startswith("//") else ""
