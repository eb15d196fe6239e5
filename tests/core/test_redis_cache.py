"""With REDIS_URL the caches live in a real redis-server on loopback (Django's own
Redis backend). When Redis goes away every page still answers 200, built afresh;
limits guarding email and sign-in hold, limits guarding reading let people read."""

import logging

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

import core.cache
from casestudies.shelf_version import shelves_changed
from tests.factories import CaseStudyFactory
from tests.redis_server import LoopbackRedis, redis_server_or_skip

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/case-studies/", "/api/v1/case-studies/", "/councils/"]


@pytest.fixture(scope="module")
def loopback_redis():
    server = LoopbackRedis(redis_server_or_skip())
    server.start()
    yield server
    server.remove()


@pytest.fixture
def redis(loopback_redis, settings, monkeypatch) -> LoopbackRedis:
    """The caches in Redis, as REDIS_URL sets them (Django forgets its cache
    handlers when CACHES changes), empty and running at the start of each test."""
    monkeypatch.setattr(core.cache, "_outages", {})  # no outage left over from another test
    loopback_redis.start()
    loopback_redis.flush()
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": loopback_redis.url,
            "KEY_PREFIX": "showcase",
            "OPTIONS": options,
        },
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": loopback_redis.url,
            "KEY_PREFIX": "showcase-limits",
            "OPTIONS": options,
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield loopback_redis
    loopback_redis.start()  # a test that stopped it leaves it running for the next


@pytest.fixture
def study(db):
    return CaseStudyFactory(title="Shared legal service for three districts")


def test_it_serves_anonymous_pages_from_redis(client, redis, study):
    first = client.get("/case-studies/")
    again = client.get("/case-studies/")

    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert caches["default"].get("shelves:version") is not None


def test_every_public_page_answers_200_when_redis_stops(client, redis, study):
    for path in PUBLIC_PAGES:
        assert client.get(path).status_code == 200
    redis.stop()

    answers = {
        path: client.get(path) for path in [*PUBLIC_PAGES, reverse("casestudies:detail", args=[study.slug])]
    }

    assert {path: response.status_code for path, response in answers.items()} == dict.fromkeys(answers, 200)
    assert all(response.get("X-Page-Cache") != "hit" for response in answers.values())


def test_pages_built_without_redis_show_the_latest_change(client, redis, study):
    client.get("/case-studies/")
    redis.stop()
    study.title = "Shared legal service, renamed"
    study.save()

    assert "Shared legal service, renamed" in client.get("/case-studies/").content.decode()


def test_an_outage_is_logged_once_when_it_starts(client, redis, study, caplog):
    redis.stop()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        client.get("/case-studies/")
        client.get("/")

    assert [record.getMessage()[:31] for record in caplog.records] == ["Cache 'showcase' unavailable, c"]


def test_a_change_made_while_redis_is_away_retires_pages_cached_before_it(client, redis, study):
    client.get("/case-studies/")
    assert client.get("/case-studies/")["X-Page-Cache"] == "hit"
    redis.save()
    redis.stop()
    shelves_changed()  # the bump cannot reach Redis: it is kept and written when Redis answers
    redis.start()  # with the pages and the old version it held

    assert client.get("/case-studies/")["X-Page-Cache"] == "miss"


def test_a_signed_in_officer_stays_signed_in_when_redis_stops(client, redis, django_user_model):
    user = django_user_model.objects.create_user("officer", email="officer@council.gov.uk")
    client.force_login(user)
    redis.stop()

    response = client.get("/account/")

    assert response.status_code == 200


def test_admin_sign_in_is_refused_when_its_counters_cannot_be_read(client, redis, django_user_model):
    django_user_model.objects.create_user("curator", password="a-long-curator-password-7", is_staff=True)
    redis.stop()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": "a-long-curator-password-7", "next": "/admin/"},
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_feedback_is_refused_when_its_counter_cannot_be_read(client, redis, mailoutbox):
    redis.stop()

    response = client.post(
        reverse("feedback"), {"doing": "Find a case study", "feedback": "The filters hid the results"}
    )

    assert response.status_code == 429
    assert mailoutbox == []


def test_the_api_answers_when_its_throttle_cannot_be_read(client, redis, study, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every call reaches the throttle
    redis.stop()

    answers = [client.get("/api/v1/case-studies/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]


def test_the_api_throttle_counts_in_redis(client, redis, study, settings, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    settings.PAGE_CACHE_SECONDS = 0

    answers = [client.get("/api/v1/themes/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
