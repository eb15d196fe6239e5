"""Which database serves each query: the database router (DATABASE_ROUTERS,
set when DATABASE_REPLICA_URLS names replicas) and what it knows of the request.

Every write goes to the primary ("default"). A read goes to a replica only when
all of these hold, and to the primary otherwise:

- it is part of a GET or HEAD request (``ReplicaReadsMiddleware`` says so), so
  never in the worker, a management command or a form being saved;
- the visitor has not written in the last DATABASE_REPLICA_STICKY_SECONDS (the
  signed write marker cookie), so an officer always sees their own change;
- it is not of an app whose rows decide who someone is or what is queued
  (sessions, accounts, the cache table holding the shelf version and the
  limits, tasks, the worker's heartbeats): those are read where they cannot be stale;
- no transaction is open on the primary (what it wrote is only there);
- a replica is usable and has replayed the last write recorded (core.replicas).
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections

from core import replicas

PRIMARY = "default"
# Read on the primary always: identity and permissions, sessions, the cache
# table (shelf version, limits), the task queue and the worker's own records.
PRIMARY_ONLY_APPS = frozenset(
    {"auth", "admin", "contenttypes", "sessions", "django_cache", "django_tasks_db", "core"}
)


@dataclass
class Reading:
    """What the router may do for the request being served."""

    replica_allowed: bool = False
    chosen: str | None = None  # the replica chosen for this request, once asked
    replica_failed: bool = False


_reading: ContextVar[Reading | None] = ContextVar("core_db_reading", default=None)


def begin_request(*, replica_allowed: bool):
    return _reading.set(Reading(replica_allowed=replica_allowed))


def end_request(token) -> None:
    _reading.reset(token)


def current() -> Reading | None:
    return _reading.get()


def replica_for_request(reading: Reading) -> str | None:
    """The replica serving this request's reads, chosen once per request."""
    if reading.chosen is None:
        alias = replicas.usable_replica()
        reading.chosen = alias if alias and replicas.caught_up(alias) else PRIMARY
    return None if reading.chosen == PRIMARY else reading.chosen


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        reading = _reading.get()
        if reading is None or not reading.replica_allowed or reading.replica_failed:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return replica_for_request(reading) or PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY  # replicas follow the primary's schema by themselves
