"""What may be cached about the shelves, and when it stops being true.

Every change to what the public could see (a case study saved, published,
archived or re-indexed; its councils, vocabularies or adoptions changed)
replaces the shelf version in the shared cache. Cached facet counts are keyed
by that version, so after a curator publishes, no process anywhere can serve
counts from before: stale entries are simply never asked for again."""

import hashlib
import uuid

from django.core.cache import cache
from django.http import QueryDict

VERSION_KEY = "shelves:version"
FACET_SECONDS = 600
# Parameters that do not change which case studies match.
PRESENTATION = {"page", "sort", "format"}


def shelf_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def shelves_changed(*args, **kwargs) -> None:
    """Connected to the signals that mean the shelves changed; callable directly after bulk writes."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def facet_key(data: QueryDict) -> str:
    pairs = sorted((key, value) for key in data if key not in PRESENTATION for value in data.getlist(key))
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:32]
    return f"shelves:facets:{shelf_version()}:{digest}"
