"""Collections: named, ordered sets of case studies chosen by curators, each
with the curator's note on why it is there, drafted and then published.

The public sees a collection only once it is published, and within it only
the case studies ``CaseStudy.objects.published()`` lets through."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy

TITLE_MAX_LENGTH = 200
INTRODUCTION_MAX_LENGTH = 10000
NOTE_MAX_LENGTH = 1000
FEATURED_ON_HOME = 3


class CollectionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class CollectionQuerySet(models.QuerySet):
    def published(self) -> "CollectionQuerySet":
        return self.filter(status=CollectionStatus.PUBLISHED)

    def with_public_counts(self) -> "CollectionQuerySet":
        """Each with ``public_count``: how many of its case studies the public may see."""
        return self.annotate(
            public_count=Count("items", filter=Q(items__case_study__in=CaseStudy.objects.published()))
        )

    def featured(self) -> "CollectionQuerySet":
        """What the home page shows: featured published collections, newest first."""
        return self.published().filter(featured=True).order_by("-published_at", "-pk")[:FEATURED_ON_HOME]


class Collection(models.Model):
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=TITLE_MAX_LENGTH, unique=True)
    introduction = models.TextField(
        max_length=INTRODUCTION_MAX_LENGTH, blank=True, help_text="Markdown, like a case study's sections."
    )
    status = models.CharField(
        max_length=10, choices=CollectionStatus.choices, default=CollectionStatus.DRAFT, db_index=True
    )
    featured = models.BooleanField(default=False, help_text="Shown on the home page once published.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="collections_created"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_collection_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curated:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == CollectionStatus.PUBLISHED

    def public_items(self) -> list["CollectionItem"]:
        """The items the public may see, in order, each with its case study ready for a list."""
        items = list(self.items.order_by("position", "pk"))
        studies = CaseStudy.objects.published().for_lists().in_bulk([item.case_study_id for item in items])
        shown = []
        for item in items:
            if item.case_study_id in studies:
                item.public_case_study = studies[item.case_study_id]
                shown.append(item)
        return shown


class CollectionItem(models.Model):
    """A case study in a collection, where it comes, and why the curator put it there."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="collection_items")
    note = models.TextField(max_length=NOTE_MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "case_study"], name="case_study_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_study} in {self.collection}"


class CollectionAction(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Title or introduction edited"
    ITEM_ADDED = "item_added", "Case study added"
    NOTE_EDITED = "note_edited", "Note edited"
    ITEM_MOVED = "item_moved", "Case study moved"
    ITEM_REMOVED = "item_removed", "Case study removed"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class CollectionEvent(models.Model):
    """The history of a collection: who changed what, and when."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=CollectionAction.choices)
    detail = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.collection}"


class CollectionFollow(models.Model):
    """An officer who wants an email when a case study is added to a collection."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_follows"
    )
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "collection"], name="one_follow_per_collection")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.collection}"


class CollectionAlert(models.Model):
    """A case study emailed to a follower of a collection: never the same one twice."""

    follow = models.ForeignKey(CollectionFollow, on_delete=models.CASCADE, related_name="alerts")
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follow", "case_study"], name="collection_alert_once")]

    def __str__(self) -> str:
        return f"{self.case_study} to {self.follow}"
