"""Case studies of council reforms, and the vocabularies that classify them.

``CaseStudy.objects.published()`` is the only door to what the public may see:
every public page, feed, export and API starts from it.
"""

import calendar
import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casestudies.fields import format_year_month
from councils.models import Council

SUMMARY_MAX_LENGTH = 400
STALE_AFTER_MONTHS = 18


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Case studies last confirmed before this date are flagged as possibly out of date."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - STALE_AFTER_MONTHS
    year, month = divmod(months, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime.date(year, month + 1, day)


class Vocabulary(models.Model):
    """A curated term. Slugs are stable identifiers used in URLs, filters, the
    API and the interchange format; names and descriptions are curators' to edit."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReformType(Vocabulary):
    pass


class Theme(Vocabulary):
    pass


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PILOT = "pilot", "Pilot"
    IMPLEMENTED = "implemented", "Implemented"
    SCALED = "scaled", "Scaled up"
    STOPPED = "stopped", "Stopped"


class EvidenceLevel(models.IntegerChoices):
    """Nesta's Standards of Evidence, levels 1 to 5."""

    DESCRIBED = 1, "Level 1: a clear account of what and why"
    DATA = 2, "Level 2: data shows positive change"
    CAUSAL = 3, "Level 3: a comparison shows it caused the change"
    REPLICATED = 4, "Level 4: independently evaluated and replicated"
    SCALABLE = 5, "Level 5: proven to work when repeated elsewhere"


EVIDENCE_EXPLANATIONS = {
    1: "The team can describe what they did and why it should work, logically and convincingly, "
    "but there is not yet data to show an effect.",
    2: "Data shows a positive change since the reform began, but cannot yet show that the reform caused it.",
    3: "A control or comparison group shows that the reform caused at least some of the change.",
    4: "One or more independent evaluations confirm the result and explain why it happens.",
    5: "There are manuals, systems and procedures that let others repeat the reform, and evidence "
    "that it works when they do.",
}


# Every level with its label and explanation, as the case study page explains them.
EVIDENCE_LEVELS = [(level, label, EVIDENCE_EXPLANATIONS[level]) for level, label in EvidenceLevel.choices]


class PublicationState(models.TextChoices):
    """Where a case study is in moderation. Only PUBLISHED is public."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    ARCHIVED = "archived", "Archived"


class CouncilRole(models.TextChoices):
    LEAD = "lead", "Lead council"
    PARTNER = "partner", "Partner council"


LIST_NEVER_SHOWS = [
    "challenge", "approach", "outcomes", "lessons", "savings_notes", "search_vector",
    "contact_role", "contact_name", "contact_email",
]  # fmt: skip


def _roles() -> models.QuerySet:
    """A case study's councils, lead first and the rest by name."""
    return CaseStudyCouncil.objects.order_by("-role", "council__name")


class CaseStudyQuerySet(models.QuerySet):
    def published(self) -> "CaseStudyQuerySet":
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def with_shelf_relations(self) -> "CaseStudyQuerySet":
        """What a list of case studies shows, fetched in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch("council_roles", queryset=_roles().select_related("council")),
            "reform_types",
            "themes",
        )

    def for_lists(self, terms: tuple[str, ...] = ("reform_types", "themes")) -> "CaseStudyQuerySet":
        """What a list of case studies shows, without the long texts it never shows: the
        sections, the vector, the contact (each stored out of the row, read only if asked for),
        and of its councils and terms only what a list names (a council's code and name, a
        term's slug and name), not each council's whole record. ``terms`` names the
        vocabularies the list shows (each one more query); a list that shows none passes ()."""
        return self.defer(*LIST_NEVER_SHOWS).prefetch_related(
            models.Prefetch(
                "council_roles",
                queryset=_roles()
                .select_related("council")
                .only("case_study_id", "role", "council__code", "council__name"),
            ),
            *(models.Prefetch(t, queryset=self._term_model(t).objects.only("slug", "name")) for t in terms),
        )

    def _term_model(self, relation: str) -> type[models.Model]:
        return self.model._meta.get_field(relation).related_model

    def with_adopters(self) -> "CaseStudyQuerySet":
        """Approved adoptions as ``approved_adoptions``, in one more query."""
        return self.prefetch_related(
            models.Prefetch(
                "adoptions",
                queryset=Adoption.objects.filter(state=AdoptionState.APPROVED).select_related(
                    "council", "own_case_study"
                ),
                to_attr="approved_adoptions",
            )
        )


class CaseStudy(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=f"What was done and what came of it, in at most {SUMMARY_MAX_LENGTH} characters.",
    )
    challenge = models.TextField(blank=True, help_text="Markdown. The problem the council faced.")
    approach = models.TextField(blank=True, help_text="Markdown. What was tried, and how.")
    outcomes = models.TextField(blank=True, help_text="Markdown. What happened, with figures.")
    lessons = models.TextField(
        "lessons learnt",
        blank=True,
        help_text="Markdown. What others should know, including what the team would do differently.",
    )

    councils = models.ManyToManyField(Council, through="CaseStudyCouncil", related_name="case_studies")
    partners = models.JSONField(
        "partner organisations",
        default=list,
        blank=True,
        help_text="Other bodies involved: NHS trusts, police, housing associations, charities.",
    )
    reform_types = models.ManyToManyField(ReformType, related_name="case_studies", blank=True)
    themes = models.ManyToManyField(Theme, related_name="case_studies", blank=True)

    # Blank only while a draft: submitting and publishing require them.
    status = models.CharField(
        "delivery status", max_length=20, choices=DeliveryStatus.choices, db_index=True, blank=True
    )
    started_year = models.PositiveSmallIntegerField(
        "year started", validators=[MinValueValidator(1900), MaxValueValidator(2100)], db_index=True,
        null=True, blank=True,
    )  # fmt: skip
    started_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    evidence_level = models.PositiveSmallIntegerField(
        choices=EvidenceLevel.choices, null=True, blank=True, db_index=True
    )
    evidence_verified = models.BooleanField(
        default=False, help_text="A curator has checked the evidence behind the level."
    )

    # Money in whole pounds.
    annual_savings_gbp = models.PositiveBigIntegerField(
        "recurring savings a year (£)", null=True, blank=True, db_index=True
    )
    one_off_savings_gbp = models.PositiveBigIntegerField("one-off savings (£)", null=True, blank=True)
    investment_gbp = models.PositiveBigIntegerField("investment (£)", null=True, blank=True)
    savings_notes = models.TextField("notes on the money", blank=True)

    # The named contact. The email is never shown anywhere public: messages
    # reach it through the site.
    contact_role = models.CharField(max_length=150, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)

    publication_state = models.CharField(
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    featured = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies_created",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_confirmed_at = models.DateField(
        null=True, blank=True, help_text="When the team last confirmed the case study is accurate."
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Approved adoptions by other councils, kept here for sorting and filtering.
    adoption_count = models.PositiveIntegerField(default=0, db_index=True, editable=False)
    # Bumped by every save through the site, so that two people editing the
    # same draft cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)

    # What search reads, rebuilt by search.index.index_case_studies.
    search_tags = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    # What the shelves filter and count by ("|a|b|"), rebuilt from the links by casestudies.shelf_keys.
    shelf_reform_types = models.TextField(blank=True, default="", editable=False)
    shelf_themes = models.TextField(blank=True, default="", editable=False)
    shelf_nations = models.TextField(blank=True, default="", editable=False)
    shelf_regions = models.TextField(blank=True, default="", editable=False)
    shelf_council_types = models.TextField(blank=True, default="", editable=False)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "case studies"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_level__isnull=True) | Q(evidence_level__gte=1, evidence_level__lte=5),
                name="evidence_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(started_month__isnull=True) | Q(started_month__gte=1, started_month__lte=12),
                name="started_month_1_to_12",
            ),
            models.CheckConstraint(
                condition=~Q(publication_state="published") | Q(published_at__isnull=False),
                name="published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casestudies:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.summary and len(self.summary) > SUMMARY_MAX_LENGTH:
            raise ValidationError(
                {
                    "summary": f"The summary must be at most {SUMMARY_MAX_LENGTH} characters "
                    f"(it has {len(self.summary)})."
                }
            )
        if self.started_month and not self.started_year:
            raise ValidationError({"started_month": "Give the year as well as the month."})

    @property
    def confirmed_on(self) -> datetime.date | None:
        """When the team last said the case study is accurate (publishing counts)."""
        if self.last_confirmed_at:
            return self.last_confirmed_at
        return self.published_at.date() if self.published_at else None

    @property
    def is_stale(self) -> bool:
        """Published and not confirmed for STALE_AFTER_MONTHS."""
        confirmed = self.confirmed_on
        return self.is_published and confirmed is not None and confirmed < stale_before()

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def started_display(self) -> str:
        if not self.started_year:
            return "Not given"
        if self.started_month:
            return f"{calendar.month_name[self.started_month]} {self.started_year}"
        return str(self.started_year)

    @property
    def started_iso(self) -> str:
        return format_year_month(self.started_year, self.started_month)

    @property
    def evidence_explanation(self) -> str:
        return EVIDENCE_EXPLANATIONS.get(self.evidence_level or 0, "")

    @property
    def has_money(self) -> bool:
        return any(
            value is not None
            for value in (self.annual_savings_gbp, self.one_off_savings_gbp, self.investment_gbp)
        ) or bool(self.savings_notes)

    def roles_in_order(self) -> list["CaseStudyCouncil"]:
        """Lead first, then partners by name (uses the prefetch when present)."""
        return sorted(
            self.council_roles.all(),
            key=lambda link: (link.role != CouncilRole.LEAD, link.council.name),
        )

    @property
    def lead_council(self) -> Council | None:
        for link in self.council_roles.all():
            if link.role == CouncilRole.LEAD:
                return link.council
        return None


class CaseStudyCouncil(models.Model):
    """A council behind a case study, and the part it played."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="council_roles")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="case_study_roles")
    role = models.CharField(max_length=10, choices=CouncilRole.choices, default=CouncilRole.PARTNER)

    class Meta:
        verbose_name = "council behind the case study"
        verbose_name_plural = "councils behind the case study"
        constraints = [
            models.UniqueConstraint(fields=["case_study", "council"], name="one_role_per_council"),
            models.UniqueConstraint(fields=["case_study"], condition=Q(role="lead"), name="one_lead_council"),
        ]

    def __str__(self) -> str:
        return f"{self.council} ({self.get_role_display()})"


class Link(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class AdoptionState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Adoption(models.Model):
    """A council that took up a reform from a case study, and how it went.
    Shown once a curator approves it."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="adoptions")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="adoptions")
    adopted_year = models.PositiveSmallIntegerField(
        "year adopted", validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    adopted_month = models.PositiveSmallIntegerField(
        "month adopted", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    changes = models.TextField("what they changed", max_length=5000)
    status = models.CharField("how far it got", max_length=20, choices=DeliveryStatus.choices)
    outcomes = models.TextField("what happened", max_length=5000)
    annual_savings_gbp = models.PositiveBigIntegerField("recurring savings a year (£)", null=True, blank=True)
    own_case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="adopted_from",
        help_text="The adopting council's own case study, if it wrote one.",
    )  # fmt: skip
    state = models.CharField(
        max_length=20, choices=AdoptionState.choices, default=AdoptionState.SUBMITTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["adopted_year", "adopted_month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "council"], condition=Q(state__in=["submitted", "approved"]),
                name="one_live_adoption_per_council",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.council} adopted {self.case_study}"

    @property
    def adopted_display(self) -> str:
        if self.adopted_month:
            return f"{calendar.month_name[self.adopted_month]} {self.adopted_year}"
        return str(self.adopted_year)
