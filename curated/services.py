"""What curators do to collections. Each change happens in one transaction,
with its entry in the collection's history; saving the rows replaces the
shelf version (see curated.apps), so no cached public page outlives it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy
from curated import alerts
from curated.models import (
    TITLE_MAX_LENGTH,
    Collection,
    CollectionAction,
    CollectionEvent,
    CollectionFollow,
    CollectionItem,
    CollectionStatus,
)


def _record(collection: Collection, action: str, by, detail: str = "") -> None:
    CollectionEvent.objects.create(collection=collection, action=action, by=by, detail=detail[:300])


def unique_slug(title: str) -> str:
    base = slugify(title)[: TITLE_MAX_LENGTH - 10].strip("-") or "collection"
    slug, n = base, 1
    while Collection.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def collection_create(*, title: str, introduction: str = "", featured: bool = False, by) -> Collection:
    collection = Collection.objects.create(
        title=title, slug=unique_slug(title), introduction=introduction, featured=featured, created_by=by
    )
    _record(collection, CollectionAction.CREATED, by)
    return collection


@transaction.atomic
def collection_update(*, collection: Collection, title: str, introduction: str, featured: bool, by) -> None:
    collection.title, collection.introduction, collection.featured = title, introduction, featured
    collection.save(update_fields=["title", "introduction", "featured", "updated_at"])
    _record(collection, CollectionAction.EDITED, by)


@transaction.atomic
def collection_add_item(*, collection: Collection, case_study: CaseStudy, note: str, by) -> CollectionItem:
    """Add a published case study at the end; its followers hear of it from the worker."""
    if not CaseStudy.objects.published().filter(pk=case_study.pk).exists():
        raise ValidationError({"case_study": "Choose a published case study."})
    if collection.items.filter(case_study=case_study).exists():
        raise ValidationError({"case_study": "That case study is already in this collection."})
    last = collection.items.order_by("-position").values_list("position", flat=True).first()
    try:
        with transaction.atomic():
            item = CollectionItem.objects.create(
                collection=collection,
                case_study=case_study,
                note=note,
                position=0 if last is None else last + 1,
            )
    except IntegrityError as error:  # another curator added it a moment ago
        raise ValidationError({"case_study": "That case study is already in this collection."}) from error
    collection.save(update_fields=["updated_at"])
    _record(collection, CollectionAction.ITEM_ADDED, by, case_study.title)
    if collection.is_published:
        alerts.send_collection_alerts.enqueue(item_id=item.pk)
    return item


@transaction.atomic
def collection_edit_note(*, item: CollectionItem, note: str, by) -> None:
    item.note = note
    item.save(update_fields=["note"])
    _record(item.collection, CollectionAction.NOTE_EDITED, by, item.case_study.title)


@transaction.atomic
def collection_move_item(*, item: CollectionItem, up: bool, by) -> bool:
    """Swap the item with its neighbour above or below. False when it is already at that end."""
    items = list(item.collection.items.select_for_update().order_by("position", "pk"))
    index = next(n for n, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    _record(
        item.collection, CollectionAction.ITEM_MOVED, by, f"{item.case_study.title} {'up' if up else 'down'}"
    )
    return True


@transaction.atomic
def collection_remove_item(*, item: CollectionItem, by) -> None:
    title = item.case_study.title
    item.delete()
    _record(item.collection, CollectionAction.ITEM_REMOVED, by, title)


@transaction.atomic
def collection_publish(*, collection: Collection, by) -> None:
    if collection.is_published:
        return
    if not collection.public_items():
        raise ValidationError("Add at least one published case study before publishing the collection.")
    collection.status, collection.published_at = CollectionStatus.PUBLISHED, timezone.now()
    collection.save(update_fields=["status", "published_at", "updated_at"])
    _record(collection, CollectionAction.PUBLISHED, by)


@transaction.atomic
def collection_unpublish(*, collection: Collection, by) -> None:
    if not collection.is_published:
        return
    collection.status, collection.published_at = CollectionStatus.DRAFT, None
    collection.save(update_fields=["status", "published_at", "updated_at"])
    _record(collection, CollectionAction.UNPUBLISHED, by)


def collection_follow(*, user, collection: Collection) -> bool:
    """Follow a published collection. True when this is a new follow."""
    _, created = CollectionFollow.objects.get_or_create(user=user, collection=collection)
    return created


def collection_unfollow(*, user, collection: Collection) -> bool:
    deleted, _ = CollectionFollow.objects.filter(user=user, collection=collection).delete()
    return bool(deleted)
