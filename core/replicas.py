"""Read replicas (DATABASE_REPLICA_URLS, PostgreSQL streaming replicas): which
one may serve a read now, and whether it has caught up with the last write.

A replica is usable while it answers, is still in recovery (a replica, not a
promoted primary) and lags by at most DATABASE_REPLICA_MAX_LAG_SECONDS. That is
checked at most every DATABASE_REPLICA_CHECK_SECONDS per process; one that is
down or lagging is skipped, with a log line when that starts and when it ends,
and tried again at the next check, so a replica that comes back is used again
without restarting anything.

Being usable is not enough for a read that must see the latest write: each web
request or task that wrote records the primary's WAL position in the shared
cache (``record_write``), and a replica serves a request only once it has
replayed up to there (``caught_up``). So a page built from a replica, and cached
under the new shelf version, never shows what was true before a publish."""

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

WRITTEN_KEY = "db:written-lsn"
# Lag is how long the replica has been replaying behind what it received; none when it has replayed it all.
HEALTH_SQL = """
    SELECT pg_is_in_recovery(),
           pg_last_wal_replay_lsn()::text,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END
"""
REPLAYED_SQL = "SELECT pg_last_wal_replay_lsn()::text"


def lsn_number(lsn: str | None) -> int:
    """PostgreSQL's "16/B374D848" as a number that orders as the log does."""
    if not lsn:
        return 0
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass
class Health:
    usable: bool = False
    checked: float = float("-inf")
    replayed: int = 0
    reason: str = "not checked yet"


_health: dict[str, Health] = {}
_lock = threading.Lock()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def _close(alias: str) -> None:
    with contextlib.suppress(DatabaseError):  # it was broken already; the next use connects afresh
        connections[alias].close()


def _judge(alias: str) -> Health:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(HEALTH_SQL)
            in_recovery, replayed, lag = cursor.fetchone()
    except DatabaseError as error:
        _close(alias)
        return Health(False, time.monotonic(), 0, f"unreachable: {str(error).strip()}")
    now = time.monotonic()
    if not in_recovery:
        return Health(False, now, 0, "not in recovery (promoted?), so no longer following the primary")
    if float(lag) > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return Health(False, now, lsn_number(replayed), f"lagging {float(lag):.1f}s behind the primary")
    return Health(True, now, lsn_number(replayed), "ok")


def health(alias: str) -> Health:
    """The replica's health, checked again once DATABASE_REPLICA_CHECK_SECONDS have passed."""
    known = _health.get(alias, Health())
    if time.monotonic() - known.checked < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return known
    fresh = _judge(alias)
    with _lock:
        _health[alias] = fresh
    first = known.reason == "not checked yet"
    if fresh.usable != known.usable or (first and not fresh.usable):
        if fresh.usable:
            logger.warning("Read replica %s is in use: %s", alias, fresh.reason)
        else:
            logger.warning("Read replica %s skipped, reads go to the primary: %s", alias, fresh.reason)
    return fresh


def mark_down(alias: str, error: BaseException) -> None:
    """A read failed on it mid-request: skip it until the next check."""
    _close(alias)
    with _lock:
        _health[alias] = Health(False, time.monotonic(), 0, f"a read failed: {str(error).strip()}")
    logger.warning("Read replica %s failed mid-request, reads go to the primary: %s", alias, error)


def usable_replica() -> str | None:
    for alias in replica_aliases():
        if health(alias).usable:
            return alias
    return None


def caught_up(alias: str) -> bool:
    """Whether the replica has replayed everything up to the last write recorded."""
    needed = lsn_number(cache.get(WRITTEN_KEY))
    known = _health.get(alias, Health())
    if known.replayed >= needed:
        return True
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLAYED_SQL)
            replayed = lsn_number(cursor.fetchone()[0])
    except DatabaseError as error:
        mark_down(alias, error)
        return False
    with _lock:
        known.replayed = max(known.replayed, replayed)
    return replayed >= needed


def record_write() -> None:
    """After a request or task that may have written: where the primary's log has reached."""
    if not replica_aliases() or connections["default"].vendor != "postgresql":
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
    except DatabaseError:
        return  # the primary is away: nothing was written either
    # Never back: of two writers finishing together the further position stands (nearly always).
    if lsn_number(position) > lsn_number(cache.get(WRITTEN_KEY)):
        cache.set(WRITTEN_KEY, position, timeout=None)
