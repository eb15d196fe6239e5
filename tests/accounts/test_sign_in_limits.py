"""Limits on sign-in links that nobody can use to lock someone else out: each client
has its own allowance per address, the whole site's allowance for one address only
slows its email down, and never for the owner coming from where they signed in
before. Plus-addressing is one mailbox. Asking the curators for a new domain is
limited per client and across the site."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db.models import F
from django.urls import reverse

from accounts.models import SignInToken
from councils.models import EmailDomain
from tests.accounts.test_sign_in import ask_for_link, link_from_outbox
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

OWNER = {"REMOTE_ADDR": "203.0.113.9"}
STRANGER = {"REMOTE_ADDR": "198.51.100.7"}
JO = "jo@southhams.gov.uk"
# The README's numbers, an hour: 5 for one address from one client, 20 from one
# client, 25 to one address from everyone before its email slows to one every 10 minutes.
PER_ADDRESS_AND_CLIENT, PER_CLIENT, TO_ONE_ADDRESS = 5, 20, 25


@pytest.fixture
def south_hams(db):
    EmailDomain.objects.create(council=CouncilFactory(name="South Hams"), domain="southhams.gov.uk")


def strangers(count: int) -> list[dict]:
    return [{"REMOTE_ADDR": f"198.51.100.{number}"} for number in range(10, 10 + count)]


def flood(client, email: str, requests: int) -> None:
    """Links for ``email`` asked for from as many clients as it takes, each within its own allowance."""
    clients = strangers(requests // PER_ADDRESS_AND_CLIENT + 1)
    for number in range(requests):
        assert ask_for_link(client, email, **clients[number // PER_ADDRESS_AND_CLIENT]).status_code == 200


def test_someone_elses_requests_never_lock_the_owner_out(client, south_hams):
    for _ in range(PER_ADDRESS_AND_CLIENT):
        assert ask_for_link(client, JO, **STRANGER).status_code == 200
    assert ask_for_link(client, JO, **STRANGER).status_code == 429

    response = ask_for_link(client, JO, **OWNER)

    assert response.status_code == 200
    assert mail.outbox[-1].to == [JO]


def test_behind_the_load_balancer_each_visitor_has_their_own_allowance(client, south_hams, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_balancer(address: str) -> dict:
        return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address}

    for number in range(PER_CLIENT):
        ask_for_link(client, f"officer{number}@southhams.gov.uk", **via_balancer("198.51.100.7"))

    assert (
        ask_for_link(client, "one.more@southhams.gov.uk", **via_balancer("198.51.100.7")).status_code == 429
    )
    assert ask_for_link(client, "one.more@southhams.gov.uk", **via_balancer("203.0.113.9")).status_code == 200


def test_plus_tags_count_as_the_same_address(client, south_hams):
    for number in range(PER_ADDRESS_AND_CLIENT):
        assert ask_for_link(client, f"jo+{number}@southhams.gov.uk").status_code == 200

    assert ask_for_link(client, "jo+another@southhams.gov.uk").status_code == 429


def test_a_plus_tagged_address_signs_in_to_one_account_through_the_plain_mailbox(client, south_hams):
    response = ask_for_link(client, "Jo+Showcase@southhams.gov.uk")

    assert "We have sent a sign-in link to <strong>jo@southhams.gov.uk</strong>" in response.content.decode()
    assert mail.outbox[-1].to == [JO]
    client.post(link_from_outbox())
    assert list(User.objects.values_list("username", "email")) == [(JO, JO)]


def test_many_clients_asking_for_one_address_slow_its_email_down(client, south_hams):
    flood(client, JO, TO_ONE_ADDRESS)
    late = strangers(9)[-3:]

    slowed = ask_for_link(client, JO, **late[0])

    assert slowed.status_code == 429
    assert 0 < int(slowed["Retry-After"]) <= 600
    assert "at most one sign-in link every 10 minutes" in slowed.content.decode()
    SignInToken.objects.update(created_at=F("created_at") - timedelta(minutes=10))
    assert ask_for_link(client, JO, **late[1]).status_code == 200
    assert ask_for_link(client, JO, **late[2]).status_code == 429
    assert len(mail.outbox) == TO_ONE_ADDRESS + 1


def test_the_owner_asking_from_where_they_signed_in_before_is_never_slowed(client, south_hams):
    ask_for_link(client, JO, **OWNER)
    client.post(link_from_outbox(), **OWNER)
    client.post(reverse("accounts:sign-out"))
    flood(client, JO, TO_ONE_ADDRESS - 1)  # with the owner's own, 25: slowed for everyone else

    assert ask_for_link(client, JO, **strangers(9)[-1]).status_code == 429
    response = ask_for_link(client, JO, **OWNER)

    assert response.status_code == 200
    assert mail.outbox[-1].to == [JO]


def test_where_the_owner_opened_a_link_also_counts_as_theirs(client, south_hams):
    phone = {"REMOTE_ADDR": "192.0.2.44"}
    ask_for_link(client, JO, **OWNER)
    client.post(link_from_outbox(), **phone)
    client.post(reverse("accounts:sign-out"))
    flood(client, JO, TO_ONE_ADDRESS - 1)  # with the owner's own, 25: slowed for everyone else

    assert ask_for_link(client, JO, **phone).status_code == 200


DOMAIN_REQUEST = {"email": "someone@newcouncil.gov.uk", "council_name": "New Council", "message": "Add us"}


def ask_for_domain(client, **extra):
    return client.post(reverse("accounts:request-domain"), DOMAIN_REQUEST, **extra)


def test_asking_to_add_a_domain_is_limited_per_client(client, db):
    for _ in range(3):
        assert ask_for_domain(client, **STRANGER).status_code == 200

    refused = ask_for_domain(client, **STRANGER)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You have already asked the curators to add 3 councils this hour" in refused.content.decode()
    assert ask_for_domain(client, **OWNER).status_code == 200
    assert len(mail.outbox) == 4


def test_asking_to_add_a_domain_is_limited_across_the_site(client, db):
    for visitor in strangers(20):
        assert ask_for_domain(client, **visitor).status_code == 200

    refused = ask_for_domain(client, **OWNER)

    assert refused.status_code == 429
    assert "The curators have had many requests to add councils this hour" in refused.content.decode()
    assert len(mail.outbox) == 20


def test_a_limit_survives_the_page_cache_filling_up_and_making_room(client, db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}},
    }
    for _ in range(3):
        ask_for_domain(client, **STRANGER)

    for number in range(40):  # distinct addresses: cached pages until the cache makes room
        assert client.get(reverse("casestudies:list"), {"q": f"reform {number}"}).status_code == 200

    assert ask_for_domain(client, **STRANGER).status_code == 429
