"""Counters for limits that have no rows of their own to count, kept in the shared
cache so that every process on every machine sees the same numbers.

Identities (an address, a username) are hashed into the keys, so the cache holds
no one's address or name. Counts are in fixed windows (the current hour, say), so
a client can make up to twice a limit across the turn of a window; and the
database cache's read-then-write increment can miss a count when two requests
land at the same instant. Both err by a little, never by an order of magnitude.
Where a limit must be exact (sign-in links, contact messages) the rows themselves
are counted instead.

When the cache cannot be reached (Redis away, see core.cache) a counter can be
neither read nor moved on. A limit guarding email or sign-in then holds, as if
reached (``fails="closed"``, the default), so an outage is no open door for
floods or guessing; a limit guarding reading lets everyone through
(``fails="open"``), so an outage costs nobody a page. Either way it is logged."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

from core.cache import UNAVAILABLE, limits_unavailable

# Their own table, which the page cache's culling never touches (see CACHES).
cache = ConnectionProxy(caches, "limits")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per identity in each window of ``seconds``."""

    name: str
    count: int
    seconds: int
    fails: Literal["closed", "open"] = "closed"

    def _key(self, identity: str) -> str:
        window = int(time.time() // self.seconds)
        return f"limit:{self.name}:{window}:{_digest(identity)}"

    def used(self, identity: str) -> int:
        try:
            return cache.get(self._key(identity)) or 0
        except UNAVAILABLE as error:
            limits_unavailable(self.name, self.fails, error)
            return self.count if self.fails == "closed" else 0

    def reached(self, identity: str) -> bool:
        return self.used(identity) >= self.count

    def record(self, identity: str) -> None:
        key = self._key(identity)
        try:
            cache.add(key, 0, self.seconds)
            try:
                cache.incr(key)
            except ValueError:  # the window ended between the two calls
                cache.set(key, 1, self.seconds)
        except UNAVAILABLE as error:
            limits_unavailable(self.name, self.fails, error)  # used() says what an unreadable count means

    def take(self, identity: str) -> bool:
        """Count one more if the limit allows it; False (and nothing counted) if not."""
        if self.reached(identity):
            return False
        self.record(identity)
        return True

    def retry_after(self) -> int:
        """Seconds until the current window ends and the count starts again."""
        return max(1, self.seconds - int(time.time() % self.seconds))


@dataclass(frozen=True)
class Slot:
    key: str
    token: str

    def give_back(self) -> None:
        # Only our own: a slot that outlived its expiry may have been taken by someone else.
        try:
            if cache.get(self.key) == self.token:
                cache.delete(self.key)
        except UNAVAILABLE as error:
            limits_unavailable(self.key, "open", error)  # it frees itself when it expires


@dataclass(frozen=True)
class Slots:
    """At most ``count`` things at once across the site. A slot that is never
    given back (a worker killed mid-way) frees itself after ``seconds``."""

    name: str
    count: int
    seconds: int
    fails: Literal["closed", "open"] = "closed"

    def take(self) -> Slot | None:
        token = secrets.token_hex(8)
        try:
            for number in range(self.count):
                key = f"slots:{self.name}:{number}"
                # add() writes only if the key is absent: two processes cannot both take one slot.
                if cache.add(key, token, self.seconds):
                    return Slot(key, token)
        except UNAVAILABLE as error:
            limits_unavailable(self.name, self.fails, error)
            return Slot(f"slots:{self.name}:unavailable", token) if self.fails == "open" else None
        return None


@dataclass(frozen=True)
class Acquaintances:
    """Clients remembered for an identity (where a curator signed in from), for
    ``seconds`` after they were last seen there."""

    name: str
    seconds: int

    def _key(self, identity: str, client: str | None) -> str:
        return f"known:{self.name}:{_digest(identity, client or '')}"

    def remember(self, identity: str, client: str | None) -> None:
        try:
            cache.set(self._key(identity, client), True, self.seconds)
        except UNAVAILABLE as error:
            limits_unavailable(self.name, "closed", error)

    def knows(self, identity: str, client: str | None) -> bool:
        """Unknown when the cache cannot say: an exemption is never granted blind."""
        try:
            return bool(cache.get(self._key(identity, client)))
        except UNAVAILABLE as error:
            limits_unavailable(self.name, "closed", error)
            return False
