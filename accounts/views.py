from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import DomainRequestForm, SignInForm
from accounts.services import (
    DOMAIN_REQUESTS_PER_CLIENT,
    SLOWED_INTERVAL,
    DomainRequest,
    SignInRequest,
    account_delete,
    domain_request,
    sign_in_complete,
    sign_in_request,
)
from casestudies.models import CaseStudy
from core.clients import client_address, person_email
from councils.models import Membership
from moderation.models import ProposedEdit, StateChange
from peers.alerts import feed_url


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go after signing in: only ever somewhere on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Why the page the officer was going to needs them signed in, by where it is.
SIGN_IN_REASONS = [
    ("/contact/", "to contact the team behind this reform. Your message goes through this site, so "
     "nobody's email address is shown, yours included, until the team replies."),
    ("/adopted/", "to tell us your council took up this reform."),
    ("/submissions/", "to share a reform your council made, or to carry on with a draft."),
    ("/alerts/", "to follow a search and get an email when a matching case study is published."),
    ("/review/", "to review case studies. Only curators can open the review pages."),
]  # fmt: skip


def sign_in_reason(next_url: str) -> str:
    path = next_url.split("?", 1)[0]
    for marker, reason in SIGN_IN_REASONS:
        if marker in path:
            return "Sign in " + reason
    return ""


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = person_email(form.cleaned_data["email"])
        next_url = safe_next(request, "")
        outcome = sign_in_request(
            email=email,
            client=client_address(request),
            link_for=lambda token: request.build_absolute_uri(
                reverse("accounts:sign-in-link", kwargs={"token": token})
                + (f"?{urlencode({'next': next_url})}" if next_url else "")
            ),
        )
        if outcome is SignInRequest.UNKNOWN_DOMAIN:
            domain_form = DomainRequestForm(initial={"email": email})
            return render(request, "accounts/unknown_domain.html", {"email": email, "form": domain_form})
        if outcome in (SignInRequest.TOO_MANY, SignInRequest.SLOWED):
            return _too_many_links(request, outcome)
        return render(request, "accounts/check_email.html", {"email": email})
    next_url = safe_next(request, "")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url, "reason": sign_in_reason(next_url)},
    )


def _too_many_links(request: HttpRequest, outcome: SignInRequest) -> HttpResponse:
    slowed = outcome is SignInRequest.SLOWED
    wait = int(SLOWED_INTERVAL.total_seconds()) if slowed else 3600
    context = {"slowed": slowed, "minutes": wait // 60}
    response = render(request, "accounts/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_POST
def request_domain(request: HttpRequest) -> HttpResponse:
    form = DomainRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/unknown_domain.html", {"email": request.POST.get("email", ""), "form": form}
        )
    outcome = domain_request(**form.cleaned_data, client=client_address(request))
    if outcome is DomainRequest.SENT:
        return render(request, "accounts/domain_requested.html")
    from_client = outcome is DomainRequest.TOO_MANY_FROM_CLIENT
    context = {"from_client": from_client, "limit": DOMAIN_REQUESTS_PER_CLIENT}
    response = render(request, "accounts/domain_too_many.html", context, status=429)
    response["Retry-After"] = str(DOMAIN_REQUESTS_PER_CLIENT.retry_after())
    return response


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, so that mail scanners following the link do not spend it."""
    if request.method == "GET":
        return render(request, "accounts/confirm_sign_in.html", {"next": request.GET.get("next", "")})
    user = sign_in_complete(token=token, client=client_address(request))
    if user is None:
        return render(request, "accounts/link_expired.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "You are signed in.")
    # Curators' work starts at the review queue; officers' at their account.
    home = reverse("review:queue") if user.is_staff else reverse("accounts:account")
    return redirect(safe_next(request, home))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("home")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user).select_related("council").order_by("council__name")
    )
    studies = list(CaseStudy.objects.filter(created_by=request.user).order_by("-updated_at"))
    edits = list(
        ProposedEdit.objects.filter(created_by=request.user)
        .select_related("case_study")
        .order_by("-submitted_at")
    )
    # The latest word from a curator on each, so the author sees why without digging.
    latest = {}
    for change in (
        StateChange.objects.filter(case_study__in=[s.pk for s in studies])
        .exclude(message="")
        .order_by("at", "id")
    ):
        latest[("study", change.case_study_id)] = change
    for change in (
        StateChange.objects.filter(proposed_edit__in=[e.pk for e in edits])
        .exclude(message="")
        .order_by("at", "id")
    ):
        latest[("edit", change.proposed_edit_id)] = change
    for study in studies:
        study.latest_message = latest.get(("study", study.pk))
    for edit in edits:
        edit.latest_message = latest.get(("edit", edit.pk))
    follows = list(request.user.follows.all())
    for follow in follows:
        follow.feed_url = feed_url(follow)
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "studies": studies, "edits": edits, "follows": follows},
    )


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you want to delete your account.")
        return redirect("accounts:account")
    user = request.user
    logout(request)
    account_delete(user=user)
    messages.success(
        request, "Your account has been deleted. Case studies you published stay, attributed to your council."
    )
    return redirect("home")
