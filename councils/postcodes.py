"""Postcodes, and loading ONS's postcode directory (ONSPD) into the Postcode table.

ONSPD is one CSV of about 2.7 million rows (a gigabyte and more), one row per
postcode that exists or once existed. It is read a row at a time and written in
batches, so memory stays the same for any size; the whole load is one
transaction, so a bad row anywhere leaves the previous load exactly as it was.
A postcode's council comes from its ``oslaua`` column, a GSS code, matched
against the councils' GSS codes and the ones they had before.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from councils.models import Council, Postcode
from councils.signals import postcodes_loaded

REQUIRED_COLUMNS = ("pcds", "doterm", "oslaua")
BATCH_SIZE = 5000
PROGRESS_EVERY = 100_000  # rows
UNKNOWN_CODES_KEPT = 1000  # distinct codes counted in the summary; ONSPD has a few dozen

# A postcode as the Royal Mail writes them: outward code (area, district) and
# inward code (sector digit, unit letters). GIR 0AA is Girobank's, a real one.
POSTCODE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$")
# What ONSPD may hold: its own rows include the Crown dependencies' and some
# non-geographic codes, all letters and digits of this length.
POSTCODE_LIKE = re.compile(r"^[A-Z0-9]{5,7}$")


def normalise_postcode(typed: str) -> str:
    """The stored form of a postcode: upper case, no spaces ("sw1a 1aa" is "SW1A1AA")."""
    return re.sub(r"\s+", "", typed).upper()


def is_postcode(normalised: str) -> bool:
    return bool(POSTCODE.match(normalised))


def display_postcode(normalised: str) -> str:
    return f"{normalised[:-3]} {normalised[-3:]}"


def postcodes_available() -> bool:
    """Whether a postcode directory has been loaded (the directory shows its postcode box only then)."""
    return Postcode.objects.exists()


def find_postcode(typed: str) -> Postcode | None:
    normalised = normalise_postcode(typed)
    if not is_postcode(normalised):
        return None
    return Postcode.objects.select_related("council", "council__county").filter(postcode=normalised).first()


class PostcodeFileError(Exception):
    """The file cannot be loaded; nothing was written."""


@dataclass
class PostcodeSummary:
    rows_read: int = 0
    loaded: int = 0
    terminated: int = 0
    unknown: int = 0
    unknown_codes: Counter = field(default_factory=Counter)


def councils_by_gss_code() -> dict[str, int]:
    """Council ids by every GSS code they have or had. Where two councils share a
    code, a current one wins, and a council's own code beats another's former one."""
    by_code: dict[str, int] = {}
    ranked = []
    for council in Council.objects.only("pk", "gss_code", "former_gss_codes", "start_date", "end_date"):
        for rank, code in enumerate(council.all_gss_codes):
            ranked.append((not council.is_current, min(rank, 1), code, council.pk))
    for _, _, code, pk in sorted(ranked, reverse=True):  # the best last, so it stays
        by_code[code] = pk
    return by_code


def import_postcodes(
    path: Path,
    *,
    progress: Callable[[int, float], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    batch_size: int = BATCH_SIZE,
) -> PostcodeSummary:
    """Replace every postcode with the live ones in the ONSPD CSV at ``path``.
    ``progress`` is told, every ``progress_every`` rows and at the end, the rows
    read so far and the share of the file's bytes read."""
    size = max(path.stat().st_size, 1)
    with path.open("rb") as binary, io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as text:
        reader = csv.DictReader(text)
        columns = _header(reader, path)
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            names = ", ".join(repr(column) for column in missing)
            raise PostcodeFileError(f"{path.name} has no column {names}; is it ONS's postcode directory?")
        summary = PostcodeSummary()

        def tick() -> None:
            if progress and summary.rows_read % max(progress_every, 1) == 0:
                progress(summary.rows_read, binary.tell() / size)

        with transaction.atomic():
            Postcode.objects.all().delete()
            batch: list[Postcode] = []
            for row in _live_rows(reader, councils_by_gss_code(), summary, path, tick):
                batch.append(row)
                if len(batch) >= batch_size:
                    _write(batch, summary)
            _write(batch, summary)
            if summary.loaded == 0:
                raise PostcodeFileError(
                    f"{path.name} has no live postcode in a council of the register "
                    "(import the councils first: manage.py import_councils)"
                )
        if progress:
            progress(summary.rows_read, 1.0)
    postcodes_loaded.send(sender="councils", count=summary.loaded)
    return summary


def _header(reader: csv.DictReader, path: Path) -> list[str]:
    try:
        return list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise PostcodeFileError(f"{path.name} is not a CSV file of text ({error})") from error


def _live_rows(
    reader: csv.DictReader,
    councils: dict[str, int],
    summary: PostcodeSummary,
    path: Path,
    tick: Callable[[], None],
) -> Iterator[Postcode]:
    """Each live postcode of a known council; counts the rest. Raises PostcodeFileError naming a bad row."""
    line = 1
    try:
        for line, raw in enumerate(reader, start=2):  # line 1 is the header
            summary.rows_read += 1
            tick()
            if None in raw or None in raw.values():
                raise PostcodeFileError(f"row {line} has a different number of columns from the header")
            if raw["doterm"].strip():
                summary.terminated += 1
                continue
            postcode = normalise_postcode(raw["pcds"])
            if not POSTCODE_LIKE.match(postcode):
                raise PostcodeFileError(f"row {line}, column pcds: {raw['pcds']!r} is not a postcode")
            code = raw["oslaua"].strip().upper()
            if code not in councils:
                summary.unknown += 1
                key = code or "(none)"
                if key in summary.unknown_codes or len(summary.unknown_codes) < UNKNOWN_CODES_KEPT:
                    summary.unknown_codes[key] += 1
                continue
            yield Postcode(postcode=postcode, council_id=councils[code])
    except (UnicodeDecodeError, csv.Error) as error:
        raise PostcodeFileError(f"row {line + 1} cannot be read as CSV text ({error})") from error


def _write(batch: list[Postcode], summary: PostcodeSummary) -> None:
    if not batch:
        return
    if len({row.postcode for row in batch}) < len(batch):
        raise PostcodeFileError(_repeated(batch))
    try:
        Postcode.objects.bulk_create(batch)
    except IntegrityError as error:
        raise PostcodeFileError(
            f"a postcode appears twice in the file (the second time by row {summary.rows_read + 1})"
        ) from error
    summary.loaded += len(batch)
    batch.clear()


def _repeated(batch: list[Postcode]) -> str:
    seen: set[str] = set()
    for row in batch:
        if row.postcode in seen:
            return f"the postcode {display_postcode(row.postcode)} appears twice in the file"
        seen.add(row.postcode)
    return "a postcode appears twice in the file"
