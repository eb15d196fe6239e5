"""The register of UK councils, past and current.

Rows follow mySociety's "UK Local Authority Names and Codes" register
(CC BY 4.0). The register code (``SHA`` for South Hams) identifies the legal
body and never changes, so it is what URLs, imports and the API use.
"""

import datetime
import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class CouncilType(models.TextChoices):
    COUNTY = "CTY", "County council"
    NON_METROPOLITAN_DISTRICT = "NMD", "Non-metropolitan district"
    UNITARY = "UA", "Unitary authority"
    METROPOLITAN_DISTRICT = "MD", "Metropolitan district"
    LONDON_BOROUGH = "LBO", "London borough"
    CITY_CORPORATION = "CC", "City corporation"
    SCOTTISH_UNITARY = "SCO", "Scottish unitary authority"
    WELSH_UNITARY = "WPA", "Welsh unitary authority"
    NORTHERN_IRELAND_DISTRICT = "NID", "Northern Ireland district"
    COMBINED_AUTHORITY = "COMB", "Combined authority"
    STRATEGIC_REGIONAL_AUTHORITY = "SRA", "Strategic regional authority"


class Nation(models.TextChoices):
    ENGLAND = "England"
    SCOTLAND = "Scotland"
    WALES = "Wales"
    NORTHERN_IRELAND = "Northern Ireland"


# Regions as the register spells them. Outside England the "region" is the nation.
REGIONS = [
    "East Midlands",
    "East of England",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "West Midlands",
    "Yorkshire and The Humber",
    "Scotland",
    "Wales",
    "Northern Ireland",
]


def normalise_name(name: str) -> str:
    """The form in which typed council names are compared: case, accents,
    punctuation and runs of spaces do not matter; "&" is "and"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


class CouncilQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "CouncilQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on)
        )

    def abolished(self, on: datetime.date | None = None) -> "CouncilQuerySet":
        on = on or timezone.localdate()
        return self.filter(end_date__lte=on)

    def of_officer(self, user) -> "CouncilQuerySet":
        """The councils ``user`` is a confirmed member of."""
        return self.filter(memberships__user=user, memberships__status=MembershipStatus.CONFIRMED)

    def resolve(self, typed: str) -> "Council | None":
        """The council a person meant by ``typed``: a register code, or a
        name or alias in any case. Where one spelling names several bodies
        (North Yorkshire the county and the new unitary), the current one wins."""
        typed = typed.strip()
        if not typed or "\x00" in typed:  # no council's name holds a NUL, and PostgreSQL cannot compare one
            return None
        by_code = self.filter(code=typed.upper()).first()
        if by_code:
            return by_code
        key = normalise_name(typed)
        matches = list(self.filter(Q(aliases__normalised=key) | Q(normalised_name=key)).distinct())
        if not matches:
            return None
        matches.sort(key=lambda council: (not council.is_current, council.name))
        return matches[0]


class Council(models.Model):
    code = models.CharField(
        "register code",
        max_length=8,
        unique=True,
        help_text="The local-authority-code in the mySociety register, e.g. SHA.",
    )
    official_name = models.CharField(max_length=200)
    name = models.CharField("short name", max_length=120, db_index=True)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    former_gss_codes = models.CharField(
        "former GSS codes",
        max_length=200,
        blank=True,
        help_text="GSS codes the council had before, comma-separated (ONS recodes after boundary changes).",
    )
    council_type = models.CharField("type", max_length=4, choices=CouncilType.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(max_length=40, blank=True)
    county = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="districts",
        help_text="The county council above a district.",
    )
    combined_authority = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="constituent_councils",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    replaced_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="The councils that took over after this one was abolished.",
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name", "code"]
        indexes = [models.Index(fields=["nation", "region", "council_type"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.code = self.code.upper()
        self.normalised_name = normalise_name(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalised_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", kwargs={"code": self.code.lower()})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        if self.end_date and self.end_date <= today:
            return False
        return not (self.start_date and self.start_date > today)

    @property
    def type_label(self) -> str:
        return self.get_council_type_display()

    @property
    def all_gss_codes(self) -> list[str]:
        """Its GSS code and the ones it had before, as ONS's files may use either."""
        former = [code.strip().upper() for code in self.former_gss_codes.split(",") if code.strip()]
        return [code for code in [self.gss_code.strip().upper(), *former] if code]


class CouncilAlias(models.Model):
    """Another spelling of a council's name, as people type it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name_plural = "council aliases"
        constraints = [
            models.UniqueConstraint(fields=["council", "normalised"], name="unique_alias_per_council")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)


class EmailDomain(models.Model):
    """An email domain a council's officers use (curated; the register has
    none). One domain may serve several councils that share staff, as
    swdevon.gov.uk serves South Hams and West Devon."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(
        max_length=253,
        db_index=True,
        help_text="The part after @, e.g. southhams.gov.uk. Lower case, no www.",
    )

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["council", "domain"], name="unique_domain_per_council")
        ]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class MembershipStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    PENDING = "pending", "Waiting for a curator"


class Membership(models.Model):
    """An officer's place at a council. Signing in with an address at one of a
    council's domains confirms it; any other council needs a curator to confirm."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    confirmed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "council"], name="one_membership_per_council")]

    def __str__(self) -> str:
        return f"{self.user} at {self.council} ({self.get_status_display()})"


class Postcode(models.Model):
    """A live postcode from ONS's postcode directory (ONSPD) and the council whose
    area holds it. Stored upper case without spaces ("SW1A1AA"), as typed
    postcodes are compared; shown with the space before the last three characters."""

    postcode = models.CharField(max_length=7, primary_key=True)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="postcodes")

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return f"{self.postcode[:-3]} {self.postcode[-3:]}"
