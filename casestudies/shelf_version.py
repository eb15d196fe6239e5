"""The shelf version: one value that changes whenever anything public changes.

Every change to what the public could see (a case study saved, published,
archived or re-indexed; its councils, vocabularies, adoptions or documents
changed) replaces the version in the shared cache, inside the same request, and
again when its transaction commits.
Whatever is cached about the shelves (pages, facet counts, API data) is keyed
by it, so after a curator publishes no process anywhere can serve what was true
before: stale entries are simply never asked for again.
"""

import uuid

from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "shelves:version"


def shelf_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def shelves_changed(*args, action: str = "", **kwargs) -> None:
    """Connected to the signals that mean the shelves changed; callable directly after bulk writes."""
    if action.startswith("pre_"):
        return  # m2m_changed fires before and after: the change is only real after
    _new_version()
    if connection.in_atomic_block:
        # With a shared cache (Redis) other processes see the new version before the change
        # is committed, and may cache what they read meanwhile, the old rows, under it:
        # a second new version once it is committed leaves nothing of that in use.
        transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
