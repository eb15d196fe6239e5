import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from core import db_routing, replicas

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD")
WRITE_MARKER_COOKIE = "showcase_wrote"
WRITE_MARKER_SALT = "core.middleware.write-marker"


class PermissionsPolicyMiddleware:
    """Turns off browser features this site never uses (camera, location...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SlidingSessionMiddleware:
    """A session ends after SESSION_COOKIE_AGE seconds without use, without a database
    write on every page to say so. Django's SESSION_SAVE_EVERY_REQUEST would save the
    session (an UPDATE on the primary) for every page a signed-in officer reads; here a
    session in use is saved again, with a new expiry and cookie, only once its last save
    is SESSION_REFRESH_SECONDS old. A session left alone therefore ends between
    SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after its last use.
    Listed after SessionMiddleware, so that it runs before the session is saved."""

    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the page read (so never by asking the database again, which may be
        # down), with something in it (a visitor without one, or signed out, gets none), and
        # never on an error page, which Django does not save sessions on either.
        if session is None or not session.accessed or session.is_empty() or response.status_code >= 500:
            return response
        if not set(session.keys()) - {self.KEY}:
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a page in the house
    style (rendered without the database) instead of a bare 500. The next
    request tries the database again, so the site recovers by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        html = loader.render_to_string("503.html", {"site_name": settings.SITE_NAME})
        return HttpResponse(html, status=503, headers={"Retry-After": "30"})


class ReplicaReadsMiddleware:
    """Lets the database router (core.db_routing) send a request's reads to a
    replica: GET and HEAD only, and not for a visitor who wrote (any other
    method) in the last DATABASE_REPLICA_STICKY_SECONDS, told by a signed cookie.
    A read that fails on a replica is served again, whole, from the primary: a
    GET changes nothing, so running its view twice is safe. Last in MIDDLEWARE,
    so that its process_exception runs before DatabaseUnavailableMiddleware's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        allowed = safe and bool(replicas.replica_aliases()) and not self.wrote_recently(request)
        token = db_routing.begin_request(replica_allowed=allowed)
        try:
            response = self.get_response(request)
            reading = db_routing.current()
            if reading.replica_failed:
                logger.warning("Serving %s again from the primary after a replica failed", request.path)
                response = self.get_response(request)
        finally:
            db_routing.end_request(token)
        if not safe:
            self.mark_written(response)
            replicas.record_write()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        reading = db_routing.current()
        if reading is None or reading.replica_failed or not reading.chosen or reading.chosen == "default":
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        replicas.mark_down(reading.chosen, exception)
        reading.replica_failed = True
        return HttpResponse(status=503)  # never sent: __call__ serves the request again

    @staticmethod
    def wrote_recently(request: HttpRequest) -> bool:
        marker = request.get_signed_cookie(
            WRITE_MARKER_COOKIE,
            default=None,
            salt=WRITE_MARKER_SALT,
            max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
        )
        return marker is not None

    @staticmethod
    def mark_written(response: HttpResponse) -> None:
        if not replicas.replica_aliases():
            return
        response.set_signed_cookie(
            WRITE_MARKER_COOKIE,
            "1",
            salt=WRITE_MARKER_SALT,
            max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
