"""Following a collection: an email, sent by the worker, when a curator adds a
case study to a published collection the officer follows. Like the search
alerts (peers.alerts), each case study goes to a follower at most once, and
every email carries a one-click unsubscribe link."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse

from casestudies.models import CaseStudy
from core.tasks import send_email
from core.tokens import SignedLink
from curated.models import CollectionAlert, CollectionFollow, CollectionItem

UNSUBSCRIBE_LINK = SignedLink("curated.unsubscribe", datetime.timedelta(days=400))


def unsubscribe_token(follow: CollectionFollow) -> str:
    return UNSUBSCRIBE_LINK.make(follow=follow.pk)


def follow_for_token(token: str) -> CollectionFollow | None:
    data = UNSUBSCRIBE_LINK.read(token)
    if data is None:
        return None
    return CollectionFollow.objects.select_related("collection").filter(pk=data.get("follow")).first()


def _email(follow: CollectionFollow, item: CollectionItem, study: CaseStudy) -> None:
    collection = follow.collection
    unsubscribe = settings.SITE_URL + reverse("curated:unsubscribe", args=[unsubscribe_token(follow)])
    send_email.enqueue(
        to=[follow.user.email],
        template="collection_alert",
        context={
            "collection": collection.title,
            "collection_url": settings.SITE_URL + collection.get_absolute_url(),
            "title": study.title,
            "summary": study.summary,
            "note": item.note,
            "url": settings.SITE_URL + study.get_absolute_url(),
            "unsubscribe": unsubscribe,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_item_alerts(item_id: int) -> int:
    """Email each follower of the item's collection about its case study, once. Returns how many."""
    item = CollectionItem.objects.select_related("collection").filter(pk=item_id).first()
    if item is None or not item.collection.is_published:
        return 0
    study = CaseStudy.objects.published().filter(pk=item.case_study_id).first()
    if study is None:
        return 0
    sent = 0
    already = CollectionAlert.objects.filter(case_study=study).values("follow_id")
    for follow in item.collection.follows.exclude(pk__in=already).select_related("user", "collection"):
        try:
            with transaction.atomic():
                CollectionAlert.objects.create(follow=follow, case_study=study)
                _email(follow, item, study)
        except IntegrityError:
            continue  # another run sent this one already
        sent += 1
    return sent


@task()
def send_collection_alerts(item_id: int) -> None:
    send_item_alerts(item_id)
