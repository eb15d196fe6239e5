"""Facet counts of the public shelves from a compact table each process holds.

Counted in the database, every new filter combination read every published case
study once (browse.facets: one pass, grouped ten ways): 122 ms a list at 100,000
on PostgreSQL even from a covering index, most of the page. Here each process
keeps, for the published case studies only, what the facets count by: one row of
booleans per case study for each facet kept as keys (casestudies.shelf_keys), a
code for its status, its evidence level and two flags, in numpy arrays (about
70 bytes a case study: 7 MB at 100,000). A count is then a few vector operations
over those arrays (a few milliseconds at 100,000), and gives exactly what the
database would (tests/browse/test_facet_table.py compares them).

What is counted is what the search and the filters that are not facets match:
with no search and no such filter, every published case study, and the database
is not asked at all; otherwise the database gives the matching ids, one query
over the covering index, and the arrays count those.

Fresh: the table is read again whenever the shelf version changes (anything the
public sees changes it) and at most FACET_SECONDS after it was read, as cached
facet counts are, so no count outlives a change by more than a cached one does.
Reading it is one query over the covering index (casestudies 0010), grouped in
the database, and takes about 0.3 s at 100,000, once per process per change, in
a thread of its own (``facet_table``)."""

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db import connection, connections

from browse.filters import YES
from browse.page_cache import FACET_SECONDS
from casestudies.models import CaseStudy, EvidenceLevel
from casestudies.shelf_keys import KEY_FIELDS, decode
from casestudies.shelf_version import shelf_version
from core.grouping import collect_groupings

LEVELS = EvidenceLevel.values
logger = logging.getLogger(__name__)


@dataclass
class Keys:
    """One facet kept as keys: its values, and which case studies have each."""

    values: list[str]
    has: np.ndarray  # bool, a row per case study and a column per value

    def passing(self, chosen) -> np.ndarray:
        columns = [self.values.index(value) for value in chosen if value in self.values]
        return self.has[:, columns].any(axis=1)

    def counted(self, mask: np.ndarray) -> dict[str, int]:
        totals = self.has[mask].sum(axis=0)
        return {value: int(total) for value, total in zip(self.values, totals, strict=True) if total}


@dataclass
class FacetTable:
    version: str
    read_at: float
    ids: np.ndarray  # int64, ascending
    keys: dict[str, Keys]
    statuses: list[str]
    status: np.ndarray  # int, an index into statuses
    evidence: np.ndarray  # int8, 0 for none given
    has_savings: np.ndarray  # bool
    adopted: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ids)

    def within(self, ids) -> np.ndarray:
        """Which rows are among ``ids``."""
        return np.isin(self.ids, np.fromiter(ids, np.int64), assume_unique=True)

    def passing(self, facet: str, value) -> np.ndarray | None:
        """Which rows a facet's chosen value keeps (browse.filters.facet_condition); None: all."""
        if value in (None, "", [], ()):
            return None
        if facet in self.keys:
            return self.keys[facet].passing(value)
        if facet == "status":
            return np.isin(self.status, [self.statuses.index(v) for v in value if v in self.statuses])
        if facet == "evidence":
            return self.evidence >= int(value)
        if facet in ("has_savings", "adopted"):
            return getattr(self, facet) if value == YES else None
        raise ValueError(f"{facet} is not a facet")

    def counts(self, cleaned: dict, facets: list[str], base: np.ndarray | None) -> dict[str, dict[str, int]]:
        """What browse.facets.facet_counts gives, over the rows ``base`` keeps (None: all)."""
        everything = np.ones(len(self), bool) if base is None else base
        passes = {
            name: mask for name in facets if (mask := self.passing(name, cleaned.get(name))) is not None
        }

        def kept(leaving_out: str | None) -> np.ndarray:
            mask = everything.copy()
            for name, passing in passes.items():
                if name != leaving_out:
                    mask &= passing
            return mask

        counts: dict[str, dict[str, int]] = {}
        for name in facets:
            mask = kept(name)
            if name in self.keys:
                counts[name] = self.keys[name].counted(mask)
            elif name == "status":
                totals = np.bincount(self.status[mask], minlength=len(self.statuses))
                counts[name] = {value: int(n) for value, n in zip(self.statuses, totals, strict=True) if n}
            elif name == "evidence":
                at = np.bincount(self.evidence[mask], minlength=max(LEVELS) + 1)
                # "Level N or stronger" counts every case study at N and above.
                counts[name] = {str(level): int(at[level:].sum()) for level in LEVELS}
            else:
                found = int(np.count_nonzero(mask & getattr(self, name)))
                counts[name] = {YES: found} if found else {}
        total = int(np.count_nonzero(kept(None)))
        counts["total"] = {YES: total} if total else {}
        return counts


_lock = threading.Lock()
_held: list[FacetTable] = []
_reading = threading.Event()  # a thread is reading the table again
_failed_at: list[float] = []  # when reading it last failed
RETRY_SECONDS = 30


def facet_table(version: str | None = None) -> FacetTable | None:
    """This process's table if it is up to date (the shelf version it was read at, and
    younger than FACET_SECONDS); else None, and the caller counts in the database.

    A table out of date is read again by a thread of its own, so that no request waits
    for it (about 0.3 s at 100,000, most of it in the database): the first requests
    after a change count in the database, as before there was a table, and the next
    use it. Inside a transaction (a management command, or a test) a table is read at
    once, in the same connection, so that what the transaction wrote is counted, and
    used only there: the transaction may yet be rolled back. ``version``: the shelf
    version, when the caller has read it already."""
    version = version or shelf_version()
    with _lock:
        table = _held[0] if _held else None
    young = table is not None and time.monotonic() - table.read_at < FACET_SECONDS
    if young and table.version == version:
        return table
    if connection.in_atomic_block:
        return read(version)
    with _lock:
        failed_lately = _failed_at and time.monotonic() - _failed_at[0] < RETRY_SECONDS
        if _reading.is_set() or failed_lately:
            return None
        _reading.set()
    try:
        threading.Thread(target=_read_in_background, daemon=True).start()
    except RuntimeError:
        _reading.clear()
        logger.exception("Could not start reading the facet table; facets are counted in the database")
    return None


def _read_in_background() -> None:
    try:
        # Labelled with the version as it is now, never an older one a slow request read.
        table = read(shelf_version())
        with _lock:
            _held[:] = [table]
            _failed_at.clear()
    except Exception:
        logger.exception("Could not read the facet table; facets are counted in the database meanwhile")
        with _lock:
            _failed_at[:] = [time.monotonic()]
    finally:
        _reading.clear()
        connections.close_all()  # this thread's own connections


def forget() -> None:
    with _lock:
        _held.clear()
        _failed_at.clear()


def read(version: str) -> FacetTable:
    """One query: for each facet column, each value it takes and the ids that take it
    (GROUPING SETS on PostgreSQL, a UNION ALL on SQLite), and every id. Grouped in the
    database, the ids arrive as a few hundred strings of numbers, not a row each."""
    published = CaseStudy.objects.published().order_by().values("id", *GROUPED_COLUMNS)
    sql, params = published.query.sql_with_params()
    grouped = collect_groupings(sql, params, GROUPED, "id", everything=True, using=published.db)
    found: dict[str | None, dict] = {name: {} for name in [*GROUPED, None]}
    for name, value, ids in grouped:
        found[name][value] = np.fromstring(ids or "", dtype=np.int64, sep=",")
    ids = np.sort(next(iter(found[None].values()), np.zeros(0, np.int64)))

    def rows_of(each: np.ndarray) -> np.ndarray:
        return np.searchsorted(ids, each)

    def keys(name: str) -> Keys:
        decoded = {key: decode(key) for key in found[name]}
        values = sorted({value for each in decoded.values() for value in each})
        position = {value: column for column, value in enumerate(values)}
        has = np.zeros((len(ids), len(values)), bool)
        for key, each in decoded.items():
            if each:
                has[np.ix_(rows_of(found[name][key]), [position[value] for value in each])] = True
        return Keys(values=values, has=has)

    def coded(name: str, dtype, code) -> np.ndarray:
        column = np.zeros(len(ids), dtype)
        for value, each in found[name].items():
            column[rows_of(each)] = code(value)
        return column

    statuses = sorted(value for value in found["status"] if value is not None)
    flag = {"true": True, "1": True}  # a condition cast to text: PostgreSQL's, SQLite's
    return FacetTable(
        version=version,
        read_at=time.monotonic(),
        ids=ids,
        keys={facet: keys(column) for facet, column in KEY_FIELDS.items()},
        statuses=statuses,
        status=coded("status", np.int16, statuses.index),
        evidence=coded("evidence_level", np.int8, lambda level: int(level or 0)),
        has_savings=coded("has_savings", bool, lambda value: flag.get(value, False)),
        adopted=coded("adopted", bool, lambda value: flag.get(value, False)),
    )


# What read() groups the published case studies by, each a column or a condition.
GROUPED = {
    **{column: column for column in [*KEY_FIELDS.values(), "status", "evidence_level"]},
    "has_savings": "(annual_savings_gbp IS NOT NULL OR one_off_savings_gbp IS NOT NULL)",
    "adopted": "(adoption_count > 0)",
}
GROUPED_COLUMNS = [
    *KEY_FIELDS.values(),
    "status",
    "evidence_level",
    "annual_savings_gbp",
    "one_off_savings_gbp",
    "adoption_count",
]
