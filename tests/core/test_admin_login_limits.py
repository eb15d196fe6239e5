"""Password guesses at /admin/login/ are limited per client and per username; once a
limit is reached the password is not even checked. Guesses from elsewhere never
lock a curator out of the place they signed in from before."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-curator-password-7"
CURATOR_DESK = {"REMOTE_ADDR": "203.0.113.9"}
GUESSER = {"REMOTE_ADDR": "198.51.100.7"}
# The README's numbers, an hour: 10 failures from one client, 20 at one username from
# clients it has never signed in from.
PER_CLIENT, PER_USERNAME = 10, 20


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    # A hundred attempts at the production hasher's pace would take most of a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator(db):
    return User.objects.create_user("curator", password=PASSWORD, is_staff=True)


def log_in(client, password: str, username: str = "curator", **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def guessers(count: int) -> list[dict]:
    return [{"REMOTE_ADDR": f"198.51.100.{number}"} for number in range(10, 10 + count)]


def guess_from_many_clients(client, failures: int) -> None:
    per_guesser = PER_CLIENT // 2
    for number, guesser in enumerate(guessers(failures // per_guesser)):
        for attempt in range(per_guesser):
            assert log_in(client, f"guess-{number}-{attempt}", **guesser).status_code == 200


def test_failed_logins_are_limited_per_client(client, curator):
    for attempt in range(PER_CLIENT):
        assert log_in(client, f"guess-{attempt}", **GUESSER).status_code == 200

    refused = log_in(client, PASSWORD, **GUESSER)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed attempts to sign in" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert log_in(client, PASSWORD, **CURATOR_DESK).status_code == 302


def test_guesses_at_one_username_from_many_clients_are_limited(client, curator):
    guess_from_many_clients(client, PER_USERNAME)

    refused = log_in(client, PASSWORD, **guessers(PER_USERNAME)[-1])

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert log_in(client, PASSWORD, username="someone-else", **guessers(PER_USERNAME)[-1]).status_code == 200


def test_the_curator_is_not_locked_out_of_where_they_signed_in_before(client, curator):
    assert log_in(client, PASSWORD, **CURATOR_DESK).status_code == 302
    client.post("/admin/logout/")
    guess_from_many_clients(client, PER_USERNAME)

    assert log_in(client, PASSWORD, **CURATOR_DESK).status_code == 302


def test_a_successful_login_is_not_counted_as_a_failure(client, curator):
    for _ in range(PER_CLIENT + 1):
        assert log_in(client, PASSWORD, **GUESSER).status_code == 302
        client.post("/admin/logout/")
