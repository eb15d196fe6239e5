"""What may be cached about the shelves, keyed by the shelf version
(``casestudies.shelf_version``), so nothing cached outlives a change.

Facet counts are cached for every visitor.

Whole pages are cached the same way for visitors who are not signed in
(``cache_public_page``), and the API's list data (``cached_public_data``).
What a page shows that does not come from the shelves is per visitor (the CSP
nonce and the CSRF token, which are put back into each copy served) or depends
on the date (how long ago a study was confirmed), which PAGE_CACHE_SECONDS bounds."""

import functools
import hashlib
import re
import zlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

from casestudies.shelf_version import shelf_version

FACET_SECONDS = 600
# Says whether a page came from the cache or was built for this request, for
# whoever watches the hit rate (make bench counts it).
CACHE_HEADER = "X-Page-Cache"
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


def facet_key(data: QueryDict, version: str | None = None) -> str:
    digest = hashlib.sha256(matching_params(data).urlencode().encode()).hexdigest()[:32]
    return f"shelves:facets:{version or shelf_version()}:{digest}"


# ---------------------------------------------------------------------------
# Whole public pages

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


@functools.cache
def _placeholder(name: str) -> bytes:
    """A marker nobody can type into a case study: derived from SECRET_KEY, worked out once."""
    digest = salted_hmac("browse.page_cache", name, algorithm="sha256").hexdigest()[:24]
    return f"page-cache-{name}-{digest}".encode()


def _served_from_cache(request) -> bool:
    """Only for visitors with nothing of their own: no session (so not signed
    in, no remembered council) and no messages waiting."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def page_key(request, kind: str = "page") -> str:
    varies = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.headers.get("X-Partial", ""),
            request.headers.get("Accept", ""),
        ]
    )
    return f"shelves:{kind}:{shelf_version()}:{hashlib.sha256(varies.encode()).hexdigest()[:32]}"


def cache_public_page(view):
    """Serve a page built for one anonymous visitor to the next, until the
    shelves change or PAGE_CACHE_SECONDS pass."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _served_from_cache(request):
            return view(request, *args, **kwargs)
        key = page_key(request, "page-zlib")  # named for its form: a page kept uncompressed is never read
        entry = cache.get(key)
        if entry is not None:
            response = _rebuild(request, entry)
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        entry = _entry(request, response)
        if entry is not None:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        return response

    return wrapped


def _entry(request, response) -> tuple | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # only true once the page has used it
        content = content.replace(str(nonce).encode(), _placeholder("nonce"))
    content = CSRF_INPUT.sub(rb"\g<1>" + _placeholder("csrf") + rb"\g<2>", content)
    if content.count(b"csrfmiddlewaretoken") != content.count(_placeholder("csrf")):
        return None  # a token somewhere we do not know how to refresh
    # Compressed, a search page of 47 kB is kept in 7 kB: storing it in the database
    # cache took 1.5 ms instead of 2.5, and reading it back costs 0.05 ms more.
    return zlib.compress(content, 1), list(response.items())


def _rebuild(request, entry: tuple) -> HttpResponse:
    compressed, headers = entry
    content = zlib.decompress(compressed)
    if _placeholder("nonce") in content:
        content = content.replace(_placeholder("nonce"), str(request._csp_nonce).encode())
    if _placeholder("csrf") in content:
        content = content.replace(_placeholder("csrf"), get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cached_public_data(request, build):
    """The data of an API answer, shared between anonymous callers like a page."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return build()
    return cache.get_or_set(page_key(request, "data"), build, settings.PAGE_CACHE_SECONDS)
