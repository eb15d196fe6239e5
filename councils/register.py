"""Reading mySociety's council register into the Council table.

The file is checked completely before anything is written; a file with a
missing column or an unreadable row is refused with a message naming the row
and the column. A re-run updates councils in place and never duplicates them.
"""

import csv
import datetime
import io
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from councils.models import Council, CouncilAlias, CouncilType, Nation, normalise_name

REQUIRED_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "start-date",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
    "county-la",
    "combined-authority",
)
OPTIONAL_COLUMNS = ("gss-code", "former-gss-codes", "pop-2020", "lat", "long", "alt-names")
ALIAS_COLUMNS = ("la-name", "local-authority-code")
SCALAR_FIELDS = (
    "official_name",
    "name",
    "gss_code",
    "former_gss_codes",
    "council_type",
    "nation",
    "region",
    "start_date",
    "end_date",
    "population",
    "latitude",
    "longitude",
)


class RegisterError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class RegisterRow:
    line: int
    code: str
    values: dict[str, Any]
    county: str
    combined_authority: str
    replaced_by: list[str]
    alt_names: list[str]


@dataclass
class RegisterSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    aliases_added: int = 0


def read_text(path_or_url: str) -> str:
    """The text of a local file or an http(s) URL, as UTF-8."""
    if path_or_url.startswith(("http://", "https://")):
        with urllib.request.urlopen(path_or_url, timeout=60) as response:  # noqa: S310
            return response.read().decode("utf-8-sig")
    return Path(path_or_url).read_text(encoding="utf-8-sig")


def _date(value: str, line: int, column: str, problems: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"row {line}, column {column}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def _number(value: str, line: int, column: str, problems: list[str]) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        problems.append(f"row {line}, column {column}: {value!r} is not a number")
        return None


def parse_register(text: str) -> list[RegisterRow]:
    """Every row of a register CSV, checked; raises RegisterError listing every problem."""
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise RegisterError([f"the file has no column {column!r}" for column in missing])

    problems: list[str] = []
    rows: list[RegisterRow] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):  # line 1 is the header
        if None in raw or any(value is None for value in raw.values()):
            problems.append(
                f"row {line}: has {len(columns)} columns in the header but a different number here"
            )
            continue
        raw = {key: (value or "").strip() for key, value in raw.items()}
        code = raw["local-authority-code"].upper()
        if not code or len(code) > 8:
            problems.append(f"row {line}, column local-authority-code: {code!r} is not a register code")
            continue
        if code in seen:
            problems.append(f"row {line}, column local-authority-code: {code} repeats row {seen[code]}")
            continue
        seen[code] = line
        rows.append(_row(line, code, raw, problems))
    _check_references(rows, set(seen), problems)
    if problems:
        raise RegisterError(problems)
    return rows


def _row(line: int, code: str, raw: dict[str, str], problems: list[str]) -> RegisterRow:
    """One row's values, adding what is wrong with them to ``problems``."""
    for column in ("official-name", "nice-name"):
        if not raw[column]:
            problems.append(f"row {line}, column {column}: must not be empty")
    council_type = raw["local-authority-type"]
    if council_type not in CouncilType.values:
        problems.append(
            f"row {line}, column local-authority-type: unknown type {council_type!r} "
            f"(expected one of: {', '.join(CouncilType.values)})"
        )
    if raw["nation"] not in Nation.values:
        problems.append(
            f"row {line}, column nation: unknown nation {raw['nation']!r} "
            f"(expected one of: {', '.join(Nation.values)})"
        )
    population = _number(raw.get("pop-2020", ""), line, "pop-2020", problems)
    latitude = _number(raw.get("lat", ""), line, "lat", problems)
    longitude = _number(raw.get("long", ""), line, "long", problems)
    values = {
        "official_name": raw["official-name"],
        "name": raw["nice-name"],
        "gss_code": raw.get("gss-code", ""),
        "former_gss_codes": ",".join(
            part.strip().upper() for part in raw.get("former-gss-codes", "").split(",") if part.strip()
        ),
        "council_type": council_type,
        "nation": raw["nation"],
        "region": raw["region"],
        "start_date": _date(raw["start-date"], line, "start-date", problems),
        "end_date": _date(raw["end-date"], line, "end-date", problems),
        "population": int(population) if population is not None else None,
        "latitude": latitude.quantize(Decimal("0.000001")) if latitude is not None else None,
        "longitude": longitude.quantize(Decimal("0.000001")) if longitude is not None else None,
    }
    if len(values["former_gss_codes"]) > Council._meta.get_field("former_gss_codes").max_length:
        problems.append(f"row {line}, column former-gss-codes: too many codes to keep")
    return RegisterRow(
        line=line,
        code=code,
        values=values,
        county=raw["county-la"].upper(),
        combined_authority=raw["combined-authority"].upper(),
        replaced_by=[part.strip().upper() for part in raw["replaced-by"].split(",") if part.strip()],
        alt_names=[part.strip() for part in raw.get("alt-names", "").split(",") if part.strip()],
    )


def _check_references(rows: list[RegisterRow], codes_in_file: set[str], problems: list[str]) -> None:
    """Every council a row points to is in the file or already imported."""
    known = codes_in_file | set(Council.objects.values_list("code", flat=True))
    for row in rows:
        for column, codes in (
            ("county-la", [row.county] if row.county else []),
            ("combined-authority", [row.combined_authority] if row.combined_authority else []),
            ("replaced-by", row.replaced_by),
        ):
            for code in codes:
                if code not in known:
                    problems.append(
                        f"row {row.line}, column {column}: unknown council code {code!r} "
                        "(not in this file nor already imported)"
                    )


def import_register(text: str, *, progress: Callable[[int, int], None] | None = None) -> RegisterSummary:
    rows = parse_register(text)
    summary = RegisterSummary()
    with transaction.atomic():
        councils = {council.code: council for council in Council.objects.prefetch_related("replaced_by")}
        before = {
            code: (
                tuple(getattr(council, name) for name in SCALAR_FIELDS),
                council.county_id,
                council.combined_authority_id,
                frozenset(c.pk for c in council.replaced_by.all()),
            )
            for code, council in councils.items()
        }
        # First every council exists, then the links between them, because a
        # row may name a council that comes later in the file.
        for done, row in enumerate(rows, start=1):
            council = councils.get(row.code) or Council(code=row.code)
            for name, value in row.values.items():
                setattr(council, name, value)
            council.save()
            councils[row.code] = council
            if progress and done % 100 == 0:
                progress(done, len(rows))
        for row in rows:
            council = councils[row.code]
            county = councils[row.county].pk if row.county else None
            combined = councils[row.combined_authority].pk if row.combined_authority else None
            if (council.county_id, council.combined_authority_id) != (county, combined):
                council.county_id, council.combined_authority_id = county, combined
                council.save(update_fields=["county", "combined_authority"])
            council.replaced_by.set([councils[code] for code in row.replaced_by])
            summary.aliases_added += _add_aliases(council, row.alt_names)

        for row in rows:
            council = councils[row.code]
            after = (
                tuple(getattr(council, name) for name in SCALAR_FIELDS),
                council.county_id,
                council.combined_authority_id,
                frozenset(c.pk for c in council.replaced_by.all()),
            )
            if row.code not in before:
                summary.created.append(row.code)
            elif before[row.code] != after:
                summary.updated.append(row.code)
            else:
                summary.unchanged.append(row.code)
    return summary


def _add_aliases(council: Council, names: Iterable[str]) -> int:
    existing = set(council.aliases.values_list("normalised", flat=True))
    added = 0
    for name in names:
        key = normalise_name(name)
        if key and key not in existing and key != council.normalised_name:
            CouncilAlias.objects.create(council=council, name=name)
            existing.add(key)
            added += 1
    return added


def import_aliases(text: str) -> tuple[int, list[str]]:
    """Read a name-to-code lookup (``la-name,local-authority-code``). Returns
    how many aliases were added and the names whose code is not in the register."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in ALIAS_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise RegisterError([f"the file has no column {column!r}" for column in missing])
    by_code: dict[str, list[str]] = {}
    problems = []
    for line, raw in enumerate(reader, start=2):
        name = (raw.get("la-name") or "").strip()
        code = (raw.get("local-authority-code") or "").strip().upper()
        if not name or not code:
            problems.append(f"row {line}: needs both la-name and local-authority-code")
            continue
        by_code.setdefault(code, []).append(name)
    if problems:
        raise RegisterError(problems)
    councils = Council.objects.in_bulk(by_code.keys(), field_name="code")
    added = 0
    with transaction.atomic():
        for code, names in by_code.items():
            if code in councils:
                added += _add_aliases(councils[code], names)
    unknown = sorted(code for code in by_code if code not in councils)
    return added, unknown
