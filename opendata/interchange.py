"""The JSON interchange format for case studies: ``{"case_studies": [...]}``.

``import_case_studies`` validates every record before it writes anything and
then writes all of them in one transaction, or none. ``export_case_studies``
writes the same format, so an export of an import reproduces the records.
Its fields are those of ``casestudies.fields``; its JSON Schema, and the
messages for what breaks it, are in ``opendata.interchange_schema``.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from casestudies.fields import (
    CONTACT,
    Kind,
    PublicField,
    format_date,
    format_year_month,
    parse_date,
    parse_year_month,
)
from casestudies.models import CaseStudy, CaseStudyCouncil, CouncilRole, Link, PublicationState
from casestudies.signals import announce_changes
from councils.models import Council
from opendata.interchange_schema import FIELDS, RECORD_KEYS, REQUIRED_KEYS, problems

Path = tuple[str | int, ...]
VOCABULARIES = [field for field in FIELDS if field.kind is Kind.VOCABULARY]
RELATED = ("council_roles__council", "links", *(field.attribute for field in VOCABULARIES))
FILE_SHAPE = 'must be a JSON object {"case_studies": [...]}'


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
    fields: dict[str, Any]  # model attribute -> value
    councils: list[tuple[Council, str]]
    terms: dict[str, list]  # vocabulary attribute -> terms
    links: list[tuple[str, str]]


@dataclass
class ImportSummary:
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)


class _Lookups:
    """Councils and vocabularies loaded once, so validating a large file costs
    a handful of queries rather than several per record."""

    def __init__(self) -> None:
        self.terms = {
            vocabulary.attribute: {
                term.slug: term
                for term in CaseStudy._meta.get_field(vocabulary.attribute).related_model.objects.all()
            }
            for vocabulary in VOCABULARIES
        }
        self.by_code = {council.code: council for council in Council.objects.all()}
        self._by_name: dict[str, Council | None] = {}

    def council(self, typed: str) -> Council | None:
        found = self.by_code.get(typed.strip().upper())
        if found is not None:
            return found
        if typed not in self._by_name:
            self._by_name[typed] = Council.objects.resolve(typed)
        return self._by_name[typed]


def _named(path: Path) -> str:
    """("councils", 0, "role") as people count: councils[1].role."""
    name = ""
    for step in path:
        if isinstance(step, int):
            name += f"[{step + 1}]"
        else:
            name += f".{step}" if name else step
    return name or "record"


class _Record:
    """One record that the schema has checked: the checks a schema cannot make
    (slugs, dates, addresses, councils and terms known here), and its values."""

    def __init__(self, raw: Any, lookups: _Lookups, problems: list[tuple[Path, str]]) -> None:
        self.raw = raw
        self.lookups = lookups
        self.problems = list(problems)
        self.broken = [path for path, _ in problems]

    def intact(self, *path: str | int) -> bool:
        """Nothing at, above or under this place broke the schema."""
        return not any(path[: len(broken)] == broken or broken[: len(path)] == path for broken in self.broken)

    def error(self, path: Path, reason: str) -> None:
        self.problems.append((path, reason))

    def errors(self, position: int) -> list[RecordError]:
        slug = self.raw.get("slug") if isinstance(self.raw, dict) else None
        order = {key: index for index, key in enumerate(RECORD_KEYS)}
        found = sorted(self.problems, key=lambda problem: order.get(problem[0][0], -1) if problem[0] else -1)
        return [RecordError(position, slug if isinstance(slug, str) else "", _named(p), r) for p, r in found]

    def clean(self) -> CleanRecord | None:
        if not isinstance(self.raw, dict):
            return None
        values = self._values()
        if self.intact("slug") and slugify(self.raw["slug"]) != self.raw["slug"]:
            self.error(("slug",), "must be lower-case letters, digits and hyphens")
        councils = self._councils()
        terms = {vocabulary.attribute: self._terms(vocabulary) for vocabulary in VOCABULARIES}
        links = self._links()
        if self.problems:
            return None
        return CleanRecord(values["slug"], values, councils, terms, links)

    def _values(self) -> dict[str, Any]:
        """The model's own columns: every field not held in related rows."""
        values: dict[str, Any] = {}
        for field in FIELDS:
            path = (field.group, field.name) if field.group else (field.name,)
            if field.kind.is_relation or not self.intact(*path):
                continue
            value = (
                (self.raw.get(field.group) or {}).get(field.name) if field.group else self.raw.get(field.name)
            )
            values.update(self._value(field, path, value))
        return values

    def _value(self, field: PublicField, path: Path, value: Any) -> dict[str, Any]:
        match field.kind:
            case Kind.YEAR_MONTH:
                try:
                    return dict(zip(field.attributes, parse_year_month(value), strict=True))
                except ValueError as problem:
                    self.error(path, f"bad date {value!r}: {problem}")
                    return {}
            case Kind.DATE:
                return {field.attribute: self._date(path, value)}
            case Kind.TEXT_LIST:
                return {field.attribute: [item.strip() for item in value or [] if item.strip()]}
            case Kind.SLUG | Kind.TEXT | Kind.MARKDOWN | Kind.EMAIL:
                text = value or ""
                text = text.strip() if field.group == CONTACT else text  # as people paste them
                if field.kind is Kind.EMAIL and text and not _is_valid(EmailValidator(), text):
                    self.error(path, f"is not an email address: {text!r}")
                return {field.attribute: text}
        return {field.attribute: value}

    def _date(self, path: Path, value: str | None):
        """None when the record gives no date: it is not made up from the day of the import."""
        if value is None:
            return None
        try:
            day = parse_date(value)
        except ValueError as problem:
            self.error(path, f"bad date {value!r}: {problem}")
            return None
        if day > timezone.localdate():
            self.error(path, f"bad date {value!r}: it is after today")
        return day

    def _councils(self) -> list[tuple[Council, str]]:
        if not self.intact("councils"):
            return []
        resolved: list[tuple[Council, str]] = []
        for index, entry in enumerate(self.raw["councils"]):
            if not self.intact("councils", index):
                continue
            role = entry.get("role", CouncilRole.PARTNER)
            council = self.lookups.council(entry["council"])
            if council is None:
                self.error(("councils", index, "council"), f"unknown council code {entry['council']!r}")
            elif any(existing.pk == council.pk for existing, _ in resolved):
                self.error(("councils", index, "council"), f"{council.code} is listed twice")
            else:
                resolved.append((council, role))
        leads = sum(1 for _, role in resolved if role == CouncilRole.LEAD)
        if resolved and leads != 1:
            self.error(("councils",), f"must name exactly one lead council (found {leads})")
        resolved.sort(key=lambda pair: pair[1] != CouncilRole.LEAD)
        return resolved

    def _terms(self, vocabulary: PublicField) -> list:
        if not self.intact(vocabulary.name):
            return []
        known = self.lookups.terms[vocabulary.attribute]
        terms = []
        for slug in (item.strip() for item in self.raw.get(vocabulary.name) or []):
            if slug and slug not in known:
                self.error(
                    (vocabulary.name,), f"unknown slug {slug!r} (expected one of: {', '.join(sorted(known))})"
                )
            elif slug and known[slug] not in terms:
                terms.append(known[slug])
        return terms

    def _links(self) -> list[tuple[str, str]]:
        if not self.intact("links"):
            return []
        clean = []
        for index, link in enumerate(self.raw.get("links") or []):
            if not self.intact("links", index):
                continue
            if not _is_valid(URLValidator(schemes=["http", "https"]), link["url"]):
                self.error(("links", index, "url"), f"is not a web address: {link['url']!r}")
                continue
            clean.append((link.get("title") or link["url"], link["url"]))
        return clean


def _is_valid(validator: Callable[[str], None], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _nulls_as_absent(data: Any) -> Any:
    """A null where a value is required reads as "is required", not as a wrong type."""
    if not isinstance(data, dict) or not isinstance(data.get("case_studies"), list):
        return data
    records = [
        {key: value for key, value in raw.items() if value is not None or key not in REQUIRED_KEYS}
        if isinstance(raw, dict)
        else raw
        for raw in data["case_studies"]
    ]
    return {**data, "case_studies": records}


def validate_records(data: Any) -> list[CleanRecord]:
    """Every record checked; raises InterchangeError listing every problem."""
    found = problems(_nulls_as_absent(data))
    if any(len(problem.path) < 2 for problem in found):
        raise InterchangeError([RecordError(0, "", "file", FILE_SHAPE)])
    by_record: dict[int, list[tuple[Path, str]]] = defaultdict(list)
    for problem in found:
        by_record[problem.path[1]].append((problem.path[2:], problem.reason))
    lookups = _Lookups()
    errors: list[RecordError] = []
    records: list[CleanRecord] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["case_studies"]):
        checked = _Record(raw, lookups, by_record[index])
        record = checked.clean()
        errors.extend(checked.errors(index + 1))
        if record is None:
            continue
        if record.slug in seen:
            errors.append(RecordError(index + 1, record.slug, "slug", f"repeats record {seen[record.slug]}"))
            continue
        seen[record.slug] = index + 1
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
        for study in CaseStudy.objects.filter(slug__in=[r.slug for r in records]).prefetch_related(*RELATED)
    }
    with transaction.atomic():
        for done, record in enumerate(records, start=1):
            study = existing.get(record.slug)
            if study is None:
                study = CaseStudy(slug=record.slug)
                summary.created.append(record.slug)
                _write(study, record, now)
            elif _record_of(study) == _as_record(record):
                summary.unchanged.append(record.slug)
            else:
                summary.updated.append(record.slug)
                _write(study, record, now)
            if progress:
                progress(done, len(records))
        written = summary.created + summary.updated
        if written:
            announce_changes(CaseStudy.objects.filter(slug__in=written).values_list("pk", flat=True))
    return summary


def _write(study: CaseStudy, record: CleanRecord, now) -> None:
    for name, value in record.fields.items():
        setattr(study, name, value)
    study.publication_state = PublicationState.PUBLISHED
    study.published_at = study.published_at or now
    study.save()
    study.council_roles.all().delete()
    CaseStudyCouncil.objects.bulk_create(
        CaseStudyCouncil(case_study=study, council=council, role=role) for council, role in record.councils
    )
    for attribute, terms in record.terms.items():
        getattr(study, attribute).set(terms)
    study.links.all().delete()
    Link.objects.bulk_create(
        Link(case_study=study, title=title, url=url, position=position)
        for position, (title, url) in enumerate(record.links)
    )


def _record(column: Callable[[str], Any], related: dict[str, list]) -> dict[str, Any]:
    """A record in the file's shape, from the model's columns and its related rows."""
    record: dict[str, Any] = {}
    for field in FIELDS:
        if field.kind.is_relation:
            value = related[field.name]
        elif field.kind is Kind.YEAR_MONTH:
            value = format_year_month(*(column(name) for name in field.attributes))
        elif field.kind is Kind.DATE:
            value = format_date(column(field.attribute))
        elif field.kind is Kind.TEXT_LIST:
            value = list(column(field.attribute))
        else:
            value = column(field.attribute)
        (record.setdefault(field.group, {}) if field.group else record)[field.name] = value
    return record


def _as_record(record: CleanRecord) -> dict[str, Any]:
    """A validated record in the exported shape, to tell whether an import changes anything."""
    related = {
        "councils": [{"council": council.code, "role": role} for council, role in record.councils],
        "links": [{"title": title, "url": url} for title, url in record.links],
    }
    for vocabulary in VOCABULARIES:
        related[vocabulary.name] = sorted(term.slug for term in record.terms[vocabulary.attribute])
    return _record(record.fields.get, related)


def _record_of(study: CaseStudy) -> dict[str, Any]:
    roles = sorted(study.council_roles.all(), key=lambda link: (link.role != CouncilRole.LEAD, link.pk))
    related = {
        "councils": [{"council": link.council.code, "role": link.role} for link in roles],
        "links": [{"title": link.title, "url": link.url} for link in study.links.all()],
    }
    for vocabulary in VOCABULARIES:
        related[vocabulary.name] = sorted(term.slug for term in getattr(study, vocabulary.attribute).all())
    return _record(lambda name: getattr(study, name), related)


def export_records(queryset: Iterable[CaseStudy] | None = None) -> Iterator[dict[str, Any]]:
    if queryset is None:
        queryset = CaseStudy.objects.published().order_by("slug")
    queryset = queryset.prefetch_related(*RELATED)
    for study in queryset.iterator(chunk_size=500):
        yield _record_of(study)
