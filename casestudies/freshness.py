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
# Parameters that change how results are shown, not which case studies match.
PRESENTATION = {"page", "sort", "format"}


def matching_params(data: QueryDict) -> QueryDict:
    """The parameters that decide which case studies match, in a fixed order."""
    kept = QueryDict(mutable=True)
    for key in sorted(data):
        values = sorted(value for value in data.getlist(key) if value != "")
        if key not in PRESENTATION and values:
            kept.setlist(key, values)
    return kept


def shelf_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def shelves_changed(*args, action: str = "", **kwargs) -> None:
    """Connected to the signals that mean the shelves changed; callable directly after bulk writes."""
    if action.startswith("pre_"):
        return  # m2m_changed fires before and after: the change is only real after
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def facet_key(data: QueryDict) -> str:
    digest = hashlib.sha256(matching_params(data).urlencode().encode()).hexdigest()[:32]
    return f"shelves:facets:{shelf_version()}:{digest}"
