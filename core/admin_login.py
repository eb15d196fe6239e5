"""Password guesses at the admin's sign-in page (/admin/login/), limited.

Failed attempts (the form shown again: a wrong password, an unknown username, or
someone who is not staff) are counted an hour:

- FAILURES_PER_CLIENT from one client, at any usernames;
- FAILURES_PER_USERNAME at one username from all clients together, so that guessing
  from many machines gets no further. A client the username has signed in from
  successfully in the last 90 days is exempt from this one: guesses from elsewhere
  never lock a curator out of the place they work from.

Once a limit is reached the password is not checked at all (a right one would
otherwise give itself away), and the answer is a 429 with Retry-After. A client is
its address as core.clients.client_address reads it."""

from collections.abc import Callable

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.clients import client_address
from core.limits import Acquaintances, Limit

FAILURES_PER_CLIENT = Limit("admin-login-client", count=10, seconds=3600)
FAILURES_PER_USERNAME = Limit("admin-login-username", count=20, seconds=3600)
SIGNED_IN_FROM = Acquaintances("admin-login", seconds=90 * 24 * 3600)


def _blocked(client: str, username: str) -> bool:
    if FAILURES_PER_CLIENT.reached(client):
        return True
    return FAILURES_PER_USERNAME.reached(username) and not SIGNED_IN_FROM.knows(username, client)


def _too_many(request: HttpRequest, site: AdminSite) -> HttpResponse:
    wait = max(FAILURES_PER_CLIENT.retry_after(), FAILURES_PER_USERNAME.retry_after())
    context = {**site.each_context(request), "title": "Too many attempts", "minutes": -(-wait // 60)}
    response = render(request, "admin/login_limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def limit_failed_logins(site: AdminSite) -> Callable[..., HttpResponse]:
    """The admin site's login view, within the limits above."""

    def login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method != "POST":
            return site.login(request, extra_context)
        client = client_address(request) or ""
        username = request.POST.get("username", "").strip().lower()
        if _blocked(client, username):
            return _too_many(request, site)
        response = site.login(request, extra_context)
        if response.status_code == 302 and request.user.is_authenticated:
            SIGNED_IN_FROM.remember(username, client)
        elif response.status_code == 200:
            FAILURES_PER_CLIENT.record(client)
            FAILURES_PER_USERNAME.record(username)
        return response

    return login
