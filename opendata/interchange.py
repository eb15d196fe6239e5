"""The JSON interchange format for case studies: ``{"case_studies": [...]}``.

``import_case_studies`` validates every record before it writes anything and
then writes all of them in one transaction, or none. ``export_case_studies``
writes the same format, so an export of an import reproduces the records.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import (
    SUMMARY_MAX_LENGTH,
    CaseStudy,
    CaseStudyCouncil,
    CouncilRole,
    DeliveryStatus,
    Link,
    PublicationState,
    ReformType,
    Theme,
)
from casestudies.signals import announce_changes
from councils.models import Council

RECORD_KEYS = (
    "slug",
    "title",
    "summary",
    "challenge",
    "approach",
    "outcomes",
    "lessons",
    "councils",
    "partners",
    "reform_types",
    "themes",
    "status",
    "started",
    "evidence_level",
    "savings",
    "contact",
    "links",
)
REQUIRED_KEYS = ("slug", "title", "summary", "councils", "status", "started")
SECTION_KEYS = ("challenge", "approach", "outcomes", "lessons")
SAVINGS_KEYS = ("annual_gbp", "one_off_gbp", "investment_gbp", "notes")
CONTACT_KEYS = ("role", "name", "email")
STARTED_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
TITLE_MAX_LENGTH = CaseStudy._meta.get_field("title").max_length


@dataclass(frozen=True)
class RecordError:
    position: int  # 1-based, as a person counts records in a file
    slug: str
    field: str
    reason: str

    def __str__(self) -> str:
        slug = f" ({self.slug})" if self.slug else ""
        return f"record {self.position}{slug}: {self.field}: {self.reason}"


class InterchangeError(Exception):
    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class CleanRecord:
    slug: str
    fields: dict[str, Any]
    councils: list[tuple[Council, str]]
    reform_types: list[ReformType]
    themes: list[Theme]
    links: list[tuple[str, str]]


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class _RecordValidator:
    """Collects every problem with one record rather than stopping at the first."""

    def __init__(self, position: int, raw: Any, lookups: "_Lookups") -> None:
        self.position = position
        self.raw = raw
        self.lookups = lookups
        self.errors: list[RecordError] = []
        self.slug = raw.get("slug", "") if isinstance(raw, dict) and isinstance(raw.get("slug"), str) else ""

    def error(self, field_name: str, reason: str) -> None:
        self.errors.append(RecordError(self.position, self.slug, field_name, reason))

    def text(self, key: str, *, required: bool, max_length: int | None = None) -> str:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.error(key, "is required")
            return ""
        if not isinstance(value, str):
            self.error(key, f"must be text, not {type(value).__name__}")
            return ""
        if "\x00" in value:
            self.error(key, "contains a null character")
            return ""
        if required and not value.strip():
            self.error(key, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.error(key, f"is too long: {len(value)} characters, at most {max_length}")
        return value

    def string_list(self, key: str) -> list[str]:
        value = self.raw.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(key, "must be a list of text")
            return []
        return [item.strip() for item in value if item.strip()]

    def clean(self) -> CleanRecord | None:
        raw = self.raw
        if not isinstance(raw, dict):
            self.error("record", "must be an object")
            return None
        for key in sorted(set(raw) - set(RECORD_KEYS)):
            self.error(key, f"is not a field of the format (expected one of: {', '.join(RECORD_KEYS)})")

        slug = self.text("slug", required=True, max_length=200)
        if slug and slugify(slug) != slug:
            self.error("slug", "must be lower-case letters, digits and hyphens")
        fields: dict[str, Any] = {
            "title": self.text("title", required=True, max_length=TITLE_MAX_LENGTH),
            "summary": self.text("summary", required=True, max_length=SUMMARY_MAX_LENGTH),
        }
        for key in SECTION_KEYS:
            fields[key] = self.text(key, required=False)
        fields["partners"] = self.string_list("partners")

        status = raw.get("status")
        if status not in DeliveryStatus.values:
            self.error(
                "status", f"unknown status {status!r} (expected one of: {', '.join(DeliveryStatus.values)})"
            )
        fields["status"] = status

        fields.update(self._started())
        fields["evidence_level"] = self._evidence_level()
        fields.update(self._savings())
        fields.update(self._contact())

        councils = self._councils()
        reform_types = self._vocabulary("reform_types", self.lookups.reform_types)
        themes = self._vocabulary("themes", self.lookups.themes)
        links = self._links()
        if self.errors:
            return None
        return CleanRecord(slug, fields, councils, reform_types, themes, links)

    def _started(self) -> dict[str, Any]:
        value = self.raw.get("started")
        match = STARTED_PATTERN.match(value) if isinstance(value, str) else None
        if not match:
            self.error("started", f'bad date {value!r}: expected "YYYY" or "YYYY-MM"')
            return {"started_year": None, "started_month": None}
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        if not 1900 <= year <= 2100:
            self.error("started", f"bad date {value!r}: the year must be between 1900 and 2100")
        if month is not None and not 1 <= month <= 12:
            self.error("started", f"bad date {value!r}: the month must be 01 to 12")
        return {"started_year": year, "started_month": month}

    def _evidence_level(self) -> int | None:
        value = self.raw.get("evidence_level")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.error("evidence_level", f"must be a whole number from 1 to 5 or null, not {value!r}")
            return None
        return value

    def _amount(self, key: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(
                f"savings.{key}", f"must be a whole number of pounds, 0 or more, or null, not {value!r}"
            )
            return None
        return value

    def _savings(self) -> dict[str, Any]:
        savings = self.raw.get("savings") or {}
        if not isinstance(savings, dict):
            self.error("savings", "must be an object")
            savings = {}
        for key in sorted(set(savings) - set(SAVINGS_KEYS)):
            self.error(f"savings.{key}", f"is not a field (expected: {', '.join(SAVINGS_KEYS)})")
        notes = savings.get("notes") or ""
        if not isinstance(notes, str):
            self.error("savings.notes", "must be text")
            notes = ""
        return {
            "annual_savings_gbp": self._amount("annual_gbp", savings.get("annual_gbp")),
            "one_off_savings_gbp": self._amount("one_off_gbp", savings.get("one_off_gbp")),
            "investment_gbp": self._amount("investment_gbp", savings.get("investment_gbp")),
            "savings_notes": notes,
        }

    def _contact(self) -> dict[str, str]:
        contact = self.raw.get("contact") or {}
        if not isinstance(contact, dict):
            self.error("contact", "must be an object")
            contact = {}
        for key in sorted(set(contact) - set(CONTACT_KEYS)):
            self.error(f"contact.{key}", f"is not a field (expected: {', '.join(CONTACT_KEYS)})")
        values = {}
        for key in CONTACT_KEYS:
            value = contact.get(key) or ""
            if not isinstance(value, str):
                self.error(f"contact.{key}", "must be text")
                value = ""
            values[key] = value.strip()
        if values["email"]:
            try:
                EmailValidator()(values["email"])
            except ValidationError:
                self.error("contact.email", f"is not an email address: {values['email']!r}")
        return {
            "contact_role": values["role"],
            "contact_name": values["name"],
            "contact_email": values["email"],
        }

    def _councils(self) -> list[tuple[Council, str]]:
        entries = self.raw.get("councils")
        if not isinstance(entries, list) or not entries:
            self.error("councils", "must be a list with at least the lead council")
            return []
        resolved: list[tuple[Council, str]] = []
        for index, entry in enumerate(entries, start=1):
            where = f"councils[{index}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("council"), str):
                self.error(where, 'must be {"council": "<register code>", "role": "lead" or "partner"}')
                continue
            role = entry.get("role", CouncilRole.PARTNER)
            if role not in CouncilRole.values:
                self.error(f"{where}.role", f"unknown role {role!r} (expected lead or partner)")
                continue
            council = self.lookups.council(entry["council"])
            if council is None:
                self.error(f"{where}.council", f"unknown council code {entry['council']!r}")
                continue
            if any(existing.pk == council.pk for existing, _ in resolved):
                self.error(f"{where}.council", f"{council.code} is listed twice")
                continue
            resolved.append((council, role))
        leads = sum(1 for _, role in resolved if role == CouncilRole.LEAD)
        if resolved and leads != 1:
            self.error("councils", f"must name exactly one lead council (found {leads})")
        resolved.sort(key=lambda pair: pair[1] != CouncilRole.LEAD)
        return resolved

    def _vocabulary(self, key: str, known: dict[str, Any]) -> list:
        slugs = self.string_list(key)
        terms = []
        for slug in slugs:
            if slug not in known:
                self.error(key, f"unknown slug {slug!r} (expected one of: {', '.join(sorted(known))})")
            elif known[slug] not in terms:
                terms.append(known[slug])
        return terms

    def _links(self) -> list[tuple[str, str]]:
        links = self.raw.get("links") or []
        if not isinstance(links, list):
            self.error("links", "must be a list")
            return []
        clean = []
        for index, link in enumerate(links, start=1):
            where = f"links[{index}]"
            if not isinstance(link, dict) or not isinstance(link.get("url"), str):
                self.error(where, 'must be {"title": "...", "url": "https://..."}')
                continue
            title = link.get("title") or link["url"]
            if not isinstance(title, str) or len(title) > 200:
                self.error(f"{where}.title", "must be text of at most 200 characters")
                continue
            try:
                URLValidator(schemes=["http", "https"])(link["url"])
            except ValidationError:
                self.error(f"{where}.url", f"is not a web address: {link['url']!r}")
                continue
            clean.append((title, link["url"]))
        return clean


class _Lookups:
    """Councils and vocabularies loaded once, so validating a large file costs
    a handful of queries rather than several per record."""

    def __init__(self) -> None:
        self.reform_types = {term.slug: term for term in ReformType.objects.all()}
        self.themes = {term.slug: term for term in Theme.objects.all()}
        self.by_code = {council.code: council for council in Council.objects.all()}
        self._by_name: dict[str, Council | None] = {}

    def council(self, typed: str) -> Council | None:
        found = self.by_code.get(typed.strip().upper())
        if found is not None:
            return found
        if typed not in self._by_name:
            self._by_name[typed] = Council.objects.resolve(typed)
        return self._by_name[typed]


def validate_records(data: Any) -> list[CleanRecord]:
    """Every record checked; raises InterchangeError listing every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("case_studies"), list):
        raise InterchangeError([RecordError(0, "", "file", 'must be a JSON object {"case_studies": [...]}')])
    lookups = _Lookups()
    errors: list[RecordError] = []
    records: list[CleanRecord] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(data["case_studies"], start=1):
        validator = _RecordValidator(position, raw, lookups)
        record = validator.clean()
        errors.extend(validator.errors)
        if record is None:
            continue
        if record.slug in seen:
            errors.append(RecordError(position, record.slug, "slug", f"repeats record {seen[record.slug]}"))
            continue
        seen[record.slug] = position
        records.append(record)
    if errors:
        raise InterchangeError(errors)
    return records


def import_case_studies(data: Any, *, progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Validate, then create or update every record as published, all or nothing."""
    records = validate_records(data)
    summary = ImportSummary()
    now = timezone.now()
    existing = {
        study.slug: study
        for study in CaseStudy.objects.filter(slug__in=[r.slug for r in records]).prefetch_related(
            "council_roles__council", "reform_types", "themes", "links"
        )
    }
    with transaction.atomic():
        for done, record in enumerate(records, start=1):
            study = existing.get(record.slug)
            if study is None:
                study = CaseStudy(slug=record.slug, last_confirmed_at=now.date())
                summary.created.append(record.slug)
            elif _record_of(study) == _as_record(record):
                summary.unchanged.append(record.slug)
                if progress:
                    progress(done, len(records))
                continue
            else:
                summary.updated.append(record.slug)
            for name, value in record.fields.items():
                setattr(study, name, value)
            study.publication_state = PublicationState.PUBLISHED
            study.published_at = study.published_at or now
            study.save()
            study.council_roles.all().delete()
            CaseStudyCouncil.objects.bulk_create(
                CaseStudyCouncil(case_study=study, council=council, role=role)
                for council, role in record.councils
            )
            study.reform_types.set(record.reform_types)
            study.themes.set(record.themes)
            study.links.all().delete()
            Link.objects.bulk_create(
                Link(case_study=study, title=title, url=url, position=position)
                for position, (title, url) in enumerate(record.links)
            )
            if progress:
                progress(done, len(records))
        written = summary.created + summary.updated
        if written:
            announce_changes(CaseStudy.objects.filter(slug__in=written).values_list("pk", flat=True))
    return summary


def _as_record(record: CleanRecord) -> dict[str, Any]:
    """A validated record in the exported shape, to tell whether an import changes anything."""
    fields = record.fields
    return {
        "slug": record.slug,
        "title": fields["title"],
        "summary": fields["summary"],
        **{key: fields[key] for key in SECTION_KEYS},
        "councils": [{"council": council.code, "role": role} for council, role in record.councils],
        "partners": fields["partners"],
        "reform_types": sorted(term.slug for term in record.reform_types),
        "themes": sorted(term.slug for term in record.themes),
        "status": fields["status"],
        "started": f"{fields['started_year']:04d}"
        + (f"-{fields['started_month']:02d}" if fields["started_month"] else ""),
        "evidence_level": fields["evidence_level"],
        "savings": {
            "annual_gbp": fields["annual_savings_gbp"],
            "one_off_gbp": fields["one_off_savings_gbp"],
            "investment_gbp": fields["investment_gbp"],
            "notes": fields["savings_notes"],
        },
        "contact": {
            "role": fields["contact_role"],
            "name": fields["contact_name"],
            "email": fields["contact_email"],
        },
        "links": [{"title": title, "url": url} for title, url in record.links],
    }


def _record_of(study: CaseStudy) -> dict[str, Any]:
    return {
        "slug": study.slug,
        "title": study.title,
        "summary": study.summary,
        **{key: getattr(study, key) for key in SECTION_KEYS},
        "councils": [
            {"council": link.council.code, "role": link.role}
            for link in sorted(
                study.council_roles.all(), key=lambda link: (link.role != CouncilRole.LEAD, link.pk)
            )
        ],
        "partners": list(study.partners),
        "reform_types": sorted(term.slug for term in study.reform_types.all()),
        "themes": sorted(term.slug for term in study.themes.all()),
        "status": study.status,
        "started": study.started_iso,
        "evidence_level": study.evidence_level,
        "savings": {
            "annual_gbp": study.annual_savings_gbp,
            "one_off_gbp": study.one_off_savings_gbp,
            "investment_gbp": study.investment_gbp,
            "notes": study.savings_notes,
        },
        "contact": {
            "role": study.contact_role,
            "name": study.contact_name,
            "email": study.contact_email,
        },
        "links": [{"title": link.title, "url": link.url} for link in study.links.all()],
    }


def export_records(queryset: Iterable[CaseStudy] | None = None) -> Iterator[dict[str, Any]]:
    if queryset is None:
        queryset = CaseStudy.objects.published().order_by("slug")
    queryset = queryset.prefetch_related("council_roles__council", "reform_types", "themes", "links")
    for study in queryset.iterator(chunk_size=500):
        yield _record_of(study)
