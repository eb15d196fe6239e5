"""Limits on large CSV exports. An export streams from one web worker for as long
as it takes (36 seconds for 100,000 case studies), so a few at once could hold
every worker. An export is large when it holds more than LARGE_EXPORT_ROWS case
studies: the whole shelf, or any filter that matches most of it (an invalid value
is dropped, so it narrows nothing). Large exports are limited:

- LARGE_EXPORTS_PER_CLIENT may be started an hour by one client
  (core.clients.client_address);
- at most LARGE_EXPORTS_AT_ONCE stream at the same time across the site, counted
  in the shared cache. A place is given back when the response is closed, read to
  the end or not; one never given back (a worker killed mid-way) frees itself
  after LARGE_EXPORT_SECONDS, longer than gunicorn's --timeout 120 in the README.

A refusal is a 429 with Retry-After, pointing to the API, which serves everything
page by page. Smaller exports are not limited."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.clients import client_address
from core.limits import Limit, Slot, Slots

LARGE_EXPORT_ROWS = 1000
LARGE_EXPORTS_PER_CLIENT = Limit("large-export-client", count=3, seconds=3600, fails="open")
LARGE_EXPORTS_AT_ONCE = 2
LARGE_EXPORT_SECONDS = 150
BUSY_RETRY_SECONDS = 60


class _GivesBack:
    """An export's lines, giving its place back when the response is closed."""

    def __init__(self, lines: Iterator[str], slot: Slot) -> None:
        self.lines, self.slot = lines, slot

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def close(self) -> None:
        try:
            getattr(self.lines, "close", lambda: None)()
        finally:
            self.slot.give_back()


@dataclass(frozen=True)
class Claim:
    refusal: HttpResponse | None = None
    slot: Slot | None = None

    def stream(self, lines: Iterator[str]) -> Iterable[str]:
        return lines if self.slot is None else _GivesBack(lines, self.slot)


def _refusal(request: HttpRequest, *, busy: bool, wait: int) -> Claim:
    context = {
        "busy": busy,
        "rows": LARGE_EXPORT_ROWS,
        "per_client": LARGE_EXPORTS_PER_CLIENT.count,
        "minutes": -(-wait // 60),
        "api": reverse("api:case-study-list") + "?page_size=100",
    }
    response = render(request, "opendata/export_limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return Claim(refusal=response)


def claim_export(request: HttpRequest, results: QuerySet) -> Claim:
    """Whether this export may start now: a refusal to send instead, or (for a
    large export) the place it holds while it streams."""
    if results.count() <= LARGE_EXPORT_ROWS:
        return Claim()
    client = client_address(request) or ""
    if LARGE_EXPORTS_PER_CLIENT.reached(client):
        return _refusal(request, busy=False, wait=LARGE_EXPORTS_PER_CLIENT.retry_after())
    slot = Slots(
        "large-export", count=LARGE_EXPORTS_AT_ONCE, seconds=LARGE_EXPORT_SECONDS, fails="open"
    ).take()
    if slot is None:
        return _refusal(request, busy=True, wait=BUSY_RETRY_SECONDS)
    LARGE_EXPORTS_PER_CLIENT.record(client)
    return Claim(slot=slot)
