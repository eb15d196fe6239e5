"""The database router's choices and the replicas' health, without a replica:
reads of a GET go to a usable replica that has caught up, everything else to
the primary. tests/cluster/ shows the same with a real streaming replica."""

import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from casestudies.models import CaseStudy
from core import db_routing, replicas
from core.middleware import WRITE_MARKER_COOKIE, ReplicaReadsMiddleware
from tests.helpers import HttpsClient

ROUTER = db_routing.ReplicaRouter()


@pytest.fixture(autouse=True)
def one_replica(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10
    monkeypatch.setattr(replicas, "_health", {})


@pytest.fixture
def healthy(monkeypatch):
    monkeypatch.setattr(replicas, "usable_replica", lambda: "replica1")
    monkeypatch.setattr(replicas, "caught_up", lambda alias: True)


def read_during(model, *, replica_allowed: bool) -> str:
    token = db_routing.begin_request(replica_allowed=replica_allowed)
    try:
        return ROUTER.db_for_read(model)
    finally:
        db_routing.end_request(token)


class FakeConnection:
    """A replica's connection answering the health query with ``row``, or failing."""

    def __init__(self, row=None, error: Exception | None = None) -> None:
        self.row, self.error, self.closed = row, error, False

    def cursor(self):
        return self

    def __enter__(self):
        if self.error:
            raise self.error
        return self

    def __exit__(self, *exc) -> None:
        return None

    def execute(self, sql) -> None:
        return None

    def fetchone(self):
        return self.row

    def close(self) -> None:
        self.closed = True


def test_a_public_read_in_a_get_goes_to_the_replica(healthy):
    assert read_during(CaseStudy, replica_allowed=True) == "replica1"


def test_reads_outside_any_request_go_to_the_primary(healthy):
    assert ROUTER.db_for_read(CaseStudy) == "default"


def test_reads_of_a_visitor_who_just_wrote_go_to_the_primary(healthy):
    assert read_during(CaseStudy, replica_allowed=False) == "default"


@pytest.mark.parametrize("model", [Session, User])
def test_sessions_and_accounts_are_always_read_from_the_primary(healthy, model):
    assert read_during(model, replica_allowed=True) == "default"


def test_the_cache_table_holding_the_shelf_version_is_read_from_the_primary(healthy):
    entry = DatabaseCache("showcase_cache", {}).cache_model_class

    assert read_during(entry, replica_allowed=True) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(healthy):
    # pytest-django runs this test inside a transaction, as a form being saved runs.
    assert read_during(CaseStudy, replica_allowed=True) == "default"


def test_reads_go_to_the_primary_when_no_replica_is_usable(monkeypatch):
    monkeypatch.setattr(replicas, "usable_replica", lambda: None)

    assert read_during(CaseStudy, replica_allowed=True) == "default"


def test_a_replica_that_has_not_replayed_the_last_write_serves_nothing(monkeypatch):
    monkeypatch.setattr(replicas, "usable_replica", lambda: "replica1")
    monkeypatch.setattr(replicas, "caught_up", lambda alias: False)

    assert read_during(CaseStudy, replica_allowed=True) == "default"


def test_writes_and_migrations_stay_on_the_primary():
    assert ROUTER.db_for_write(CaseStudy) == "default"
    assert (
        ROUTER.allow_migrate("default", "casestudies"),
        ROUTER.allow_migrate("replica1", "casestudies"),
    ) == (
        True,
        False,
    )


def test_a_replica_that_is_down_is_skipped_with_a_log_line(monkeypatch, caplog):
    monkeypatch.setattr(
        replicas, "connections", {"replica1": FakeConnection(error=OperationalError("refused"))}
    )

    with caplog.at_level(logging.WARNING, logger="core.replicas"):
        chosen = replicas.usable_replica()

    assert chosen is None
    assert "Read replica replica1 skipped, reads go to the primary: unreachable: refused" in caplog.messages


def test_a_replica_lagging_beyond_the_setting_is_skipped_with_a_log_line(monkeypatch, caplog):
    monkeypatch.setattr(replicas, "connections", {"replica1": FakeConnection(row=(True, "0/3000060", 12.5))})

    with caplog.at_level(logging.WARNING, logger="core.replicas"):
        chosen = replicas.usable_replica()

    assert chosen is None
    assert "Read replica replica1 skipped, reads go to the primary: lagging 12.5s behind the primary" in (
        caplog.messages
    )


def test_a_replica_lagging_within_the_setting_is_used(monkeypatch):
    monkeypatch.setattr(replicas, "connections", {"replica1": FakeConnection(row=(True, "0/3000060", 9.0))})

    assert replicas.usable_replica() == "replica1"


def test_a_promoted_replica_is_no_longer_used(monkeypatch):
    monkeypatch.setattr(replicas, "connections", {"replica1": FakeConnection(row=(False, None, 0))})

    assert replicas.usable_replica() is None


def test_a_replica_that_comes_back_is_used_again_at_the_next_check(monkeypatch):
    fake = {"replica1": FakeConnection(error=OperationalError("refused"))}
    monkeypatch.setattr(replicas, "connections", fake)
    assert replicas.usable_replica() is None
    fake["replica1"] = FakeConnection(row=(True, "0/3000060", 0))

    assert replicas.usable_replica() == "replica1"


def test_log_positions_order_as_the_log_does():
    assert replicas.lsn_number("0/FFFFFFFF") < replicas.lsn_number("1/0") < replicas.lsn_number("1/A")


def test_a_read_that_fails_on_the_replica_is_served_again_from_the_primary(monkeypatch):
    monkeypatch.setattr(replicas, "connections", {"replica1": FakeConnection()})
    served = []

    def view(request):
        reading = db_routing.current()
        if not served:
            served.append("replica")
            reading.chosen = "replica1"
            return middleware.process_exception(request, OperationalError("server closed the connection"))
        served.append("primary" if reading.replica_failed else "replica")
        return HttpResponse("built again")

    middleware = ReplicaReadsMiddleware(view)
    response = middleware(RequestFactory().get("/case-studies/"))

    assert (response.status_code, response.content, served) == (200, b"built again", ["replica", "primary"])
    assert replicas._health["replica1"].reason == "a read failed: server closed the connection"


@pytest.mark.django_db
def test_a_post_marks_the_visitor_as_having_written():
    response = HttpsClient().post(reverse("feedback"), {"doing": "", "feedback": ""})

    assert WRITE_MARKER_COOKIE in response.cookies


@pytest.mark.django_db
def test_a_visitor_with_the_write_marker_reads_from_the_primary():
    client = HttpsClient()
    client.post(reverse("feedback"), {"doing": "", "feedback": ""})
    request = RequestFactory().get("/case-studies/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}

    assert ReplicaReadsMiddleware.wrote_recently(request)


def test_a_forged_write_marker_is_not_believed():
    request = RequestFactory().get("/case-studies/")
    request.COOKIES = {WRITE_MARKER_COOKIE: "1"}

    assert not ReplicaReadsMiddleware.wrote_recently(request)
