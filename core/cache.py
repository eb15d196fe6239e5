"""The shared cache on Redis (REDIS_URL), and what happens when Redis goes away.

Without REDIS_URL the caches are database tables (see CACHES in the settings)
and nothing here is used. With it, both aliases are Django's own Redis backend:

- "default" (pages, facet counts, the shelf version, sessions' cached copies) is
  ``FailSafeRedisCache``: when Redis cannot be reached every read is a miss and
  every write is dropped, so pages are built afresh from the database and
  sessions are read from their table. A write that is dropped for a key kept for
  ever (the shelf version) is written again once Redis answers, so a publish
  made during the outage still retires every page cached before it.
- "limits" is Django's ``RedisCache`` unchanged: it raises, and ``core.limits``
  decides for each limit whether a counter it cannot read holds (guarding email
  and sign-in) or lets through (guarding reading).

Each outage is logged once when it starts and once when it ends, per process."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache that cannot be reached raises (connection refused, timed out, reset).
UNAVAILABLE = (RedisError, OSError)
# Writes of keys kept for ever that failed, kept to be written again; bounded.
MAX_REPLAYS = 100


class Outage:
    """Whether a cache is known to be away, so that a log line marks each change."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.since: float | None = None
        self.lock = threading.Lock()

    def failed(self, error: BaseException) -> None:
        with self.lock:
            if self.since is None:
                self.since = time.monotonic()
                logger.warning("Cache %r unavailable, carrying on without it: %s", self.name, error)

    def answered(self) -> None:
        if self.since is None:
            return
        with self.lock:
            if self.since is not None:
                logger.warning(
                    "Cache %r answering again after %.1fs", self.name, time.monotonic() - self.since
                )
                self.since = None


_last_limits_warning = {"at": float("-inf")}
LIMITS_WARNING_EVERY_SECONDS = 60


def limits_unavailable(what: str, fails: str, error: BaseException) -> None:
    """Logged for each limit that could not be counted, at most once a minute per process."""
    now = time.monotonic()
    if now - _last_limits_warning["at"] >= LIMITS_WARNING_EVERY_SECONDS:
        _last_limits_warning["at"] = now
        logger.warning("Limits cache unavailable (%s), failing %s: %s", what, fails, error)


# One per cache alias and process: Django makes a cache object for each thread.
_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(name: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(name, Outage(name))


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache that never raises: a miss when Redis is away."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self.outage = outage_of(params.get("KEY_PREFIX") or "default")
        self._replays: dict[str, tuple] = {}
        self._replays_lock = threading.Lock()

    def _attempt(self, fallback, call, *args, **kwargs):
        try:
            if self._replays:
                self._replay()  # first, so that this very call sees what was written
            result = call(*args, **kwargs)
        except UNAVAILABLE as error:
            self.outage.failed(error)
            return fallback
        self.outage.answered()
        return result

    def _replay(self) -> None:
        with self._replays_lock:
            pending, self._replays = self._replays, {}
        try:
            while pending:
                key, (value, version) = next(iter(pending.items()))
                super().set(key, value, None, version)
                del pending[key]
        finally:
            for key, (value, version) in pending.items():
                self._remember(key, value, version)

    def _remember(self, key, value, version) -> None:
        with self._replays_lock:
            if key in self._replays or len(self._replays) < MAX_REPLAYS:
                self._replays[key] = (value, version)

    def get(self, key, default=None, version=None):
        return self._attempt(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if timeout is None:
            with self._replays_lock:
                self._replays.pop(key, None)  # this write supersedes one waiting
        try:
            if self._replays:
                self._replay()
            super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            self.outage.failed(error)
            if timeout is None:
                self._remember(key, value, version)
            return
        self.outage.answered()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        # Nothing sensible to return when the count cannot be read: say so as a missing key does.
        result = self._attempt(None, super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key {key!r} not found (cache unavailable)")
        return result

    def clear(self):
        return self._attempt(False, super().clear)
