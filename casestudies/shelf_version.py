"""The shelf version: one value that changes whenever anything public changes.

Every change to what the public could see (a case study saved, published,
archived or re-indexed; its councils, vocabularies, adoptions or documents
changed) replaces the version in the shared cache, inside the same request.
Whatever is cached about the shelves (pages, facet counts, API data) is keyed
by it, so after a curator publishes no process anywhere can serve what was true
before: stale entries are simply never asked for again.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "shelves:version"


def shelf_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def shelves_changed(*args, action: str = "", **kwargs) -> None:
    """Connected to the signals that mean the shelves changed; callable directly after bulk writes."""
    if action.startswith("pre_"):
        return  # m2m_changed fires before and after: the change is only real after
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
