"""Every limit counts one client address, read the one way core.clients reads it:
X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies vouch for it, and an
IPv6 client by its /64. Shown here through the API's rate limit."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from core.clients import client_address

pytestmark = pytest.mark.django_db
THEMES = "/api/v1/themes/"


@pytest.fixture(autouse=True)
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    cache.clear()


def codes(client, headers: list[dict]) -> list[int]:
    return [client.get(THEMES, **extra).status_code for extra in headers]


def test_a_forwarded_header_does_not_make_a_new_client_when_no_proxy_is_trusted(client):
    varied = [{"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"} for number in range(130)]

    answers = codes(client, varied)

    assert answers[:3] == [200, 200, 200]
    assert set(answers[3:]) == {429}


def test_behind_one_trusted_proxy_the_address_it_saw_is_counted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    # The client writes whatever it likes on the left; the proxy appends what it saw.
    forged = [{**balancer, "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}, 203.0.113.5"} for number in range(5)]
    someone_else = [{**balancer, "HTTP_X_FORWARDED_FOR": "203.0.113.6"}]

    assert codes(client, forged) == [200, 200, 200, 429, 429]
    assert codes(client, someone_else) == [200]


def test_an_ipv6_client_is_counted_by_its_64_block(client):
    one_subscriber = [{"REMOTE_ADDR": f"2001:db8:1:2::{number:x}"} for number in range(1, 5)]
    another = [{"REMOTE_ADDR": "2001:db8:1:3::1"}]

    assert codes(client, one_subscriber) == [200, 200, 200, 429]
    assert codes(client, another) == [200]


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.3", "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # Fewer entries than proxies: the first was written by the outermost proxy reached.
        (2, "10.0.0.3", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.5:51234", "203.0.113.5"),
        (1, "10.0.0.2", "[2001:db8:1:2::7]:443", "2001:db8:1:2::"),
        (1, "10.0.0.2", "not an address", "10.0.0.2"),
        (0, "::ffff:203.0.113.5", "", "203.0.113.5"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_end(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
