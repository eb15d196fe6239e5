from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casestudies.models import CaseStudy
from casestudies.permissions import curator_required
from core.clients import client_address
from peers import alerts, contact
from peers.models import CONTENT_RETENTION_DAYS, Follow, Frequency


def _last_sender_details(user) -> dict:
    last = user.contact_requests.order_by("-created_at").first()
    return {"sender_name": last.sender_name, "sender_role": last.sender_role} if last else {}


@login_required
@require_http_methods(["GET", "POST"])
def contact_team(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(CaseStudy.objects.published().with_shelf_relations(), slug=slug)
    form = contact.ContactForm(
        request.POST or None, user=request.user, initial=_last_sender_details(request.user)
    )
    refused = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact.contact_send(
                    study=study, user=request.user, cleaned=form.cleaned_data, client=client_address(request)
                )
            except contact.Refused as error:
                refused, status = str(error), 429
            else:
                return render(
                    request,
                    "peers/contact_sent.html",
                    {
                        "study": study,
                        "to": contact.recipient_description(study),
                        "days": CONTENT_RETENTION_DAYS,
                    },
                )
        else:
            status = 400
    return render(
        request,
        "peers/contact.html",
        {
            "study": study,
            "form": form,
            "refused": refused,
            "to": contact.recipient_description(study),
            "days": CONTENT_RETENTION_DAYS,
            "limit": contact.MESSAGES_PER_DAY,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def got_reply(request: HttpRequest, token: str) -> HttpResponse:
    """'Did you get a reply?', answered from the emailed link without signing in."""
    found = contact.request_for_reply_token(token)
    if found is None:
        return render(request, "peers/link_expired.html", status=400)
    answer = request.POST.get("answer") or request.GET.get("answer")
    if request.method == "POST" and answer in {"yes", "no"}:
        contact.record_answer(found, answer == "yes")
        return render(request, "peers/got_reply_thanks.html", {"found": found, "answer": answer})
    return render(request, "peers/got_reply.html", {"found": found, "answer": answer})


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    frequency = request.POST.get("frequency", Frequency.WEEKLY)
    if frequency not in Frequency.values:
        frequency = Frequency.WEEKLY
    data = QueryDict(request.POST.get("query", "")[:1000])
    try:
        followed, created = alerts.follow_create(user=request.user, data=data, frequency=frequency)
    except alerts.SearchTooLong:
        messages.error(request, "That search is too long to follow: use fewer or shorter search words.")
        return redirect("accounts:account")
    how = "as soon as one is published" if frequency == Frequency.IMMEDIATE else "once a week"
    messages.success(
        request,
        f"You are following {followed.label}. We will email you new case studies {how}."
        if created
        else f"You already follow {followed.label}: we will email you {how}.",
    )
    return redirect("accounts:account")


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    followed = get_object_or_404(Follow, pk=pk, user=request.user)
    followed.delete()
    messages.success(request, f"You no longer follow {followed.label}.")
    return redirect("accounts:account")


@csrf_exempt  # the signed token is the authority; mail clients POST here for one-click unsubscribe
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    followed = alerts.follow_for_token(token)
    if request.method == "POST":
        label = followed.label if followed else ""
        if followed:
            followed.delete()
        return render(request, "peers/unsubscribed.html", {"label": label})
    if followed is None:
        return render(request, "peers/unsubscribed.html", {"label": ""})
    return render(request, "peers/unsubscribe.html", {"follow": followed})


@curator_required
@require_safe
def contact_stats(request: HttpRequest) -> HttpResponse:
    """Does peer contact work? Counts per case study, never contents."""
    return render(request, "peers/contact_stats.html", {"rows": contact.contact_counts()[:500]})
