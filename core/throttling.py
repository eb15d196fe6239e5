"""The API's rate limit, counting clients the way every other limit does."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from core.cache import UNAVAILABLE, limits_unavailable
from core.clients import client_address


class ClientRateThrottle(AnonRateThrottle):
    """DRF's anonymous rate (``anon`` in DEFAULT_THROTTLE_RATES) per client address
    as ``core.clients.client_address`` reads it. DRF's own reading takes the whole
    X-Forwarded-For header as the client unless NUM_PROXIES is set, so a client
    that writes a new header each time is never limited."""

    cache = ConnectionProxy(caches, "limits")  # beside the other limits, out of the page cache's way

    def allow_request(self, request: Request, view) -> bool:
        # A limit on reading: when its counters cannot be reached, it lets everyone read (core.limits).
        try:
            return super().allow_request(request, view)
        except UNAVAILABLE as error:
            limits_unavailable("API throttle", "open", error)
            return True

    def get_ident(self, request: Request) -> str:
        return client_address(request) or ""
