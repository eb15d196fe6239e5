"""Where the vectors live, and the case studies nearest a query.

Stored: one ``search.models.CaseStudyVector`` row per case study that has been
public, its vector as float16 values in a bytes column (512 bytes each, 51 MB
for 100,000), the same on SQLite and PostgreSQL and needing no extension
(Debian's PostgreSQL 15 has no pgvector; the embedded default needs no server).

Held: each process keeps every vector in one numpy matrix of int8 values with a
float32 scale per row (257 bytes a case study: 26 MB for 100,000, where float32
would take 102 MB), compared with a query in one pass (``einsum`` adding in
int32: about 12 ms for 100,000 on one core, as fast as float32 and a quarter
the memory; the rounding moves a similarity by less than 0.005). The matrix is
loaded on first use and brought up to date whenever the shelf version changes
(any change to what the public sees changes it, and so does a vector task):
only the rows changed since the last look are read, unless rows have gone, and
then all of them. A row with an empty vector is a case study no longer public.

"Since the last look" is measured from when this process last looked, less
OVERLAP for transactions that committed later with an earlier time. (Measured
from the newest change it had read, every look after a bulk load or a rebuild
read every vector again, for as long as no vector changed: 10 MB allocated at
10,000 case studies, and at 100,000 the slowest search after a publish 2.4 s
rather than 1.0 s (docs/benchmarks.md). Now only the looks in the OVERLAP after
a bulk change read it again.)
"""

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db import connection
from django.utils import timezone

from search.embedding import DIMENSIONS, MODEL
from search.models import CaseStudyVector

# Rows written in a transaction that committed after we looked may carry an
# earlier time than when we looked: read again this far back.
OVERLAP = timedelta(minutes=5)
INITIAL_ROOM = 1024
CHUNK = 2000


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def _quantised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and the scale that brings each back to its float values."""
    peaks = np.abs(vectors).max(axis=1)
    scales = np.where(peaks > 0, peaks / 127, 1).astype(np.float32)
    return np.round(vectors / scales[:, None]).astype(np.int8), scales


@dataclass
class VectorIndex:
    """Every public case study's vector, by case study id."""

    values: np.ndarray = field(default_factory=lambda: np.zeros((INITIAL_ROOM, DIMENSIONS), np.int8))
    scales: np.ndarray = field(default_factory=lambda: np.zeros(INITIAL_ROOM, np.float32))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(INITIAL_ROOM, np.int64))  # row -> case study id
    used: int = 0
    stored: int = 0  # rows in the table when we last looked, tombstones included
    looked_at: datetime | None = None  # when this process last read the changes
    loaded: bool = False
    version: str = ""

    @classmethod
    def with_room(cls, rows: int) -> "VectorIndex":
        """Room for ``rows`` and a little more, so a full load never copies the matrix to grow it."""
        room = max(INITIAL_ROOM, rows + rows // 50)
        return cls(
            values=np.zeros((room, DIMENSIONS), np.int8),
            scales=np.zeros(room, np.float32),
            ids=np.zeros(room, np.int64),
        )

    def __len__(self) -> int:
        # Counted by numpy: a loop in Python over every row cost each search 3 ms at 10,000 and 40 at 100,000.
        return int(np.count_nonzero(self.scales[: self.used] > 0))

    def put(self, pks: list[int], vectors: list[np.ndarray | None] | np.ndarray) -> None:
        """Set these case studies' vectors: a matrix with a row each, or a list in which
        None is a case study no longer public (it then matches nothing)."""
        rows = self._rows_of(np.asarray(pks, np.int64))
        if isinstance(vectors, np.ndarray):
            where, matrix = rows, vectors
        else:
            kept = [index for index, vector in enumerate(vectors) if vector is not None]
            gone = rows[[index for index, vector in enumerate(vectors) if vector is None]]
            self.values[gone], self.scales[gone] = 0, 0.0
            where = rows[kept]
            matrix = np.stack([vectors[index] for index in kept]) if kept else np.zeros((0, DIMENSIONS))
        if len(matrix):
            self.values[where], self.scales[where] = _quantised(matrix)

    def _rows_of(self, pks: np.ndarray) -> np.ndarray:
        """Each case study's row, new rows for those without one. Looked up in the id
        column itself (a dict of 100,000 ids held 8 MB more); an empty index, as on a
        first load, needs no lookup."""
        rows = np.full(len(pks), -1, np.int64)
        if self.used:
            held = self.ids[: self.used]
            order = np.argsort(held, kind="stable")
            places = np.searchsorted(held, pks, sorter=order).clip(max=self.used - 1)
            found = held[order[places]] == pks
            rows[found] = order[places[found]]
        new = np.flatnonzero(rows < 0)
        if len(new):
            self._make_room(self.used + len(new))
            rows[new] = np.arange(self.used, self.used + len(new))
            self.ids[rows[new]] = pks[new]
            self.used += len(new)
        return rows

    def _make_room(self, needed: int) -> None:
        if needed > len(self.ids):
            room = max(INITIAL_ROOM, needed, len(self.ids) + len(self.ids) // 4)
            self.values = np.resize(self.values, (room, DIMENSIONS))
            self.scales = np.resize(self.scales, room)
            self.ids = np.resize(self.ids, room)
            self.scales[self.used :] = 0.0

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """The cosine similarity of every row to a unit-length query (0 for gone rows)."""
        if not self.used:
            return np.zeros(0, np.float32)
        peak = float(np.abs(query).max()) or 1.0
        query8 = np.round(query * (127 / peak)).astype(np.int8)
        dots = np.einsum("ij,j->i", self.values[: self.used], query8, dtype=np.int32)
        return dots * self.scales[: self.used] * (peak / 127)

    def nearest(self, query: np.ndarray, *, limit: int, floor: float) -> dict[int, float]:
        """Up to ``limit`` case study ids at least ``floor`` alike, with their similarity."""
        similar = self.similarities(query)
        above = np.flatnonzero(similar >= floor)
        if len(above) > limit:
            above = above[np.argpartition(-similar[above], limit - 1)[:limit]]
        return {int(self.ids[row]): round(float(similar[row]), 4) for row in above}


_lock = threading.Lock()
_index: list[VectorIndex] = []


def vector_index(version: str) -> VectorIndex:
    """This process's index, brought up to date if the shelves changed since it last looked."""
    with _lock:
        if not _index:
            _index.append(VectorIndex())
        index = _index[0]
        if index.version != version:
            _index[0] = index = _refreshed(index)
            index.version = version
        return index


def forget() -> None:
    """Drop this process's index (tests, and after a rebuild in this process)."""
    with _lock:
        _index.clear()


def _table_ready() -> bool:
    # A migration that searches (related reforms) may run before this table exists.
    return CaseStudyVector._meta.db_table in connection.introspection.table_names()


def _refreshed(index: VectorIndex) -> VectorIndex:
    if not index.loaded and not _table_ready():
        return index
    looking_at = timezone.now()
    rows = CaseStudyVector.objects.filter(model=MODEL)
    stored = rows.count()
    if not index.loaded or stored < index.stored:
        index, changed = VectorIndex.with_room(stored), rows  # first look, or rows gone: read all
    else:
        changed = rows.filter(changed_at__gte=index.looked_at - OVERLAP)
    batch: list[tuple] = []
    for row in changed.values_list("case_study_id", "vector").iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            _read(index, batch)
            batch = []
    _read(index, batch)
    index.stored, index.loaded, index.looked_at = stored, True, looking_at
    return index


def _read(index: VectorIndex, batch: list[tuple]) -> None:
    """Put a chunk of rows, the vectors decoded together rather than one array each."""
    present = [(pk, data) for pk, data in batch if data]
    gone = [pk for pk, data in batch if not data]
    if present:
        data = b"".join(bytes(vector) for _, vector in present)
        vectors = np.frombuffer(data, dtype="<f2").reshape(len(present), DIMENSIONS).astype(np.float32)
        index.put([pk for pk, _ in present], vectors)
    if gone:
        index.put(gone, [None] * len(gone))
