"""Following a search, a reform type or a theme, by email and by Atom feed.

Every follow is a search (a query string the list page understands), so what
an alert sends is exactly what the list shows for it. A case study goes to a
follow at most once, ever: AlertDelivery's unique constraint says so."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from browse.page_cache import matching_params
from browse.shelves import browse
from core.tasks import send_email
from core.tokens import SignedLink
from peers.models import AlertDelivery, Follow, Frequency

# Every alert carries a fresh link; one from an email over a year old has to be asked for again.
UNSUBSCRIBE_LINK_DAYS = 400
UNSUBSCRIBE_LINK = SignedLink("peers.unsubscribe", datetime.timedelta(days=UNSUBSCRIBE_LINK_DAYS))
MAX_PER_EMAIL = 50


def describe(query: str) -> str:
    data = QueryDict(query)
    shelf = browse(data, with_facets=False)
    parts = [f"“{shelf.search.query}”"] if shelf.search.query else []
    parts += [f"{item.label}: {item.value_label}" for item in shelf.active]
    return ", ".join(parts) or "All new case studies"


class SearchTooLong(ValueError):
    """The search, written out as a query string, is longer than a follow keeps."""


def follow_create(*, user, data: QueryDict, frequency: str) -> tuple[Follow, bool]:
    query = matching_params(data).urlencode()
    if len(query) > Follow._meta.get_field("query").max_length:
        # Written out again, each character past ASCII takes up to 12 (%F0%9F...).
        raise SearchTooLong(query)
    follow, created = Follow.objects.get_or_create(
        user=user, query=query, defaults={"frequency": frequency, "label": describe(query)[:300]}
    )
    if not created and follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    return follow, created


def feed_url(follow: Follow) -> str:
    path = reverse("opendata:feed-search")
    return f"{path}?{follow.query}" if follow.query else path


def unsubscribe_token(follow: Follow) -> str:
    return UNSUBSCRIBE_LINK.make(follow=follow.pk)


def follow_for_token(token: str) -> Follow | None:
    data = UNSUBSCRIBE_LINK.read(token)
    if data is None:
        return None
    return Follow.objects.filter(pk=data.get("follow")).first()


def new_matches(follow: Follow):
    """Published case studies matching the follow, published since it began, not yet sent."""
    shelf = browse(QueryDict(follow.query), with_facets=False)
    return (
        shelf.results.filter(published_at__gte=follow.created_at)
        .exclude(pk__in=AlertDelivery.objects.filter(follow=follow).values("case_study_id"))
        .order_by("published_at", "pk")
    )


def _send(follow: Follow, now: datetime.datetime) -> int:
    with transaction.atomic():
        locked = Follow.objects.select_for_update().filter(pk=follow.pk).first()
        if locked is None:
            return 0
        studies = list(new_matches(locked)[:MAX_PER_EMAIL])
        locked.last_sent_at = now
        locked.save(update_fields=["last_sent_at"])
        if not studies:
            return 0
        try:
            with transaction.atomic():
                AlertDelivery.objects.bulk_create(
                    [AlertDelivery(follow=locked, case_study=study, sent_at=now) for study in studies]
                )
        except IntegrityError:
            return 0  # another scheduler sent these already
        unsubscribe = settings.SITE_URL + reverse("peers:unsubscribe", args=[unsubscribe_token(locked)])
        send_email.enqueue(
            to=[locked.user.email],
            template="alert",
            context={
                "label": locked.label,
                "studies": [
                    {"title": s.title, "summary": s.summary, "url": settings.SITE_URL + s.get_absolute_url()}
                    for s in studies
                ],
                "search": settings.SITE_URL
                + reverse("casestudies:list")
                + (f"?{locked.query}" if locked.query else ""),
                "unsubscribe": unsubscribe,
                "weekly": locked.frequency == Frequency.WEEKLY,
            },
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    return len(studies)


def send_alerts(frequency: str, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Send what is due for follows of one frequency. Returns (emails, case studies)."""
    now = now or timezone.now()
    follows = Follow.objects.filter(frequency=frequency).select_related("user")
    if frequency == Frequency.WEEKLY:
        week_ago = now - datetime.timedelta(days=7)
        follows = follows.filter(
            Q(last_sent_at__isnull=True, created_at__lte=week_ago) | Q(last_sent_at__lte=week_ago)
        )
    emails = studies = 0
    for follow in follows.iterator():
        sent = _send(follow, now)
        emails += bool(sent)
        studies += sent
    return emails, studies


@task()
def send_immediate_alerts() -> None:
    send_alerts(Frequency.IMMEDIATE)


def on_published(sender, case_study, **kwargs) -> None:
    """A case study was published: immediate followers hear about it from the worker."""
    send_immediate_alerts.enqueue()
