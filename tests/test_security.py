"""Security properties that a visitor's browser sees, checked against production settings."""

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.throttling import AnonRateThrottle

from browse.filters import CaseStudyFilter
from tests.helpers import run_in_production


def test_the_deployment_checklist_reports_nothing(tmp_path):
    result = run_in_production(
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n",
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_production_responses_carry_the_security_headers(tmp_path):
    result = run_in_production(
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.test import Client\n"
        "response = Client().get('/about/', secure=True, HTTP_HOST='showcase.example')\n"
        "insecure = Client().get('/about/', HTTP_HOST='showcase.example')\n"
        "import json\n"
        "print(json.dumps({'status': response.status_code, 'headers': dict(response.headers),"
        " 'redirect': insecure.status_code, 'location': insecure.get('Location', ''),"
        " 'csrf_secure': __import__('django.conf').conf.settings.CSRF_COOKIE_SECURE,"
        " 'session_secure': __import__('django.conf').conf.settings.SESSION_COOKIE_SECURE}))\n",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout.strip().splitlines()[-1])
    headers = data["headers"]

    assert data["status"] == 200
    assert data["redirect"] == 301 and data["location"] == "https://showcase.example/about/"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert data["csrf_secure"] is True and data["session_secure"] is True


def test_sessions_end_after_inactivity():
    # The sliding expiry itself is tested through the site in tests/accounts/test_sessions.py.
    assert "core.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_REFRESH_SECONDS <= 10 * 60
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "\x00null",
    "\u202eevil",
    "'; DROP TABLE casestudies_casestudy; --",
    "A" * 10_000,
    "%00%27",
    "../../etc/passwd",
]
FILTERS = [name for name in CaseStudyFilter.base_filters if name != "q"] + ["q", "page"]


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_filter_are_escaped_and_never_a_500(client, value, unthrottled):
    for name in FILTERS:
        response = client.get(reverse("casestudies:list"), {name: value})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "<script>alert(1)" not in html
        assert "onerror=alert(1)>" not in html
        api = client.get("/api/v1/case-studies/", {name: value})
        assert (api.status_code, list(api.json())) == api_answer(name, value), name


def api_answer(name: str, value: str) -> tuple[int, list[str]]:
    """What the API says to one hostile value: search words are searched (a NUL
    cannot be, and is refused as a bad q), a page that is not a number is not
    found, and any other filter refuses the value, naming the parameter."""
    if name == "q":
        return (400, ["q"]) if "\x00" in value else (200, ["count", "next", "previous", "results"])
    if name == "page":
        return 404, ["detail"]
    return 400, [name]


@pytest.mark.django_db
@given(name=st.sampled_from(FILTERS), value=st.text(max_size=300))
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_text_in_any_filter_never_breaks_the_list(client, name, value):
    response = client.get(reverse("casestudies:list"), {name: value.replace("\x00", "")})

    assert response.status_code == 200


@pytest.mark.django_db
def test_api_rate_limits_live_in_the_shared_database_cache(client, monkeypatch):
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    for _ in range(3):
        assert client.get("/api/v1/themes/").status_code == 200
    # Forget everything this process holds: the count must come from the database.
    caches.close_all()
    for alias in list(caches):
        del caches[alias]

    assert client.get("/api/v1/themes/").status_code == 429
    assert isinstance(caches["default"], DatabaseCache)  # a table in the database (core.db_cache)
