"""Signing in by emailed link, and what an officer's address says about them.

Limits on sign-in links, an hour, chosen so that nobody can lock someone else out:

- one client may ask for at most MAX_LINKS_PER_CLIENT links, to any addresses;
- one client may ask for at most MAX_LINKS_PER_ADDRESS links for one address. Only
  that client's own requests count, so a stranger asking for your address uses up
  the stranger's allowance, never yours;
- to one address from every client together, once LINKS_BEFORE_SLOWING have been
  sent, email slows to one link every SLOWED_INTERVAL (so nobody's inbox can be
  flooded from many machines), except for a client the address has signed in from
  in the last OWN_CLIENT_DAYS (the client that used a link, or asked for it). The
  owner asking from there is never slowed by what others do; only their own
  client's two allowances above apply.

A client is its address as core.clients.client_address reads it (TRUSTED_PROXY_COUNT).
People sharing one address (an office behind one router) share its allowances.
Addresses are folded to the mailbox they reach (core.clients.person_email: no
+tag), for the limits, for the account, and for where the link is sent: whoever
reads that mailbox is the account's owner, whatever tag was typed."""

import enum
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import SignInToken, hash_token
from casestudies.models import CaseStudy, PublicationState
from core.clients import person_email
from core.limits import Limit
from core.tasks import send_email
from councils.models import Council, Membership, MembershipStatus

MAX_LINKS_PER_ADDRESS = 5  # an hour, for one address from one client
MAX_LINKS_PER_CLIENT = 20  # an hour, from one client
LINKS_BEFORE_SLOWING = 25  # an hour, to one address from every client
SLOWED_INTERVAL = timedelta(minutes=10)
OWN_CLIENT_DAYS = 90
# Asking the curators to add a council's domain: anonymous email with text of the
# sender's choosing, so limited per client and, for the curators' sake, in all.
DOMAIN_REQUESTS_PER_CLIENT = Limit("domain-request-client", count=3, seconds=3600)
DOMAIN_REQUESTS_IN_ALL = Limit("domain-request-site", count=20, seconds=3600)


class SignInRequest(enum.Enum):
    SENT = "sent"
    UNKNOWN_DOMAIN = "unknown-domain"
    TOO_MANY = "too-many"  # this client's own allowance is used up: an hour
    SLOWED = "slowed"  # many links to this address from elsewhere: SLOWED_INTERVAL


class DomainRequest(enum.Enum):
    SENT = "sent"
    TOO_MANY_FROM_CLIENT = "too-many-from-client"
    TOO_MANY_IN_ALL = "too-many-in-all"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def councils_for_email(email: str) -> list[Council]:
    domain = normalise_email(email).rpartition("@")[2]
    return list(Council.objects.filter(email_domains__domain=domain).distinct().order_by("name"))


def _own_client(email: str, client: str | None) -> bool:
    """Whether the address has signed in from this client lately (see the module's docstring)."""
    if not client:
        return False
    since = timezone.now() - timedelta(days=OWN_CLIENT_DAYS)
    return (
        SignInToken.objects.filter(email=email, used_from__isnull=False, used_at__gte=since)
        .filter(Q(used_from=client) | Q(requested_from=client))
        .exists()
    )


def _refusal(email: str, client: str | None) -> SignInRequest | None:
    """Why no link may be sent now, if it may not (the rules are the module's docstring)."""
    recent = SignInToken.objects.recent()
    if client and recent.filter(requested_from=client).count() >= MAX_LINKS_PER_CLIENT:
        return SignInRequest.TOO_MANY
    if recent.filter(email=email, requested_from=client).count() >= MAX_LINKS_PER_ADDRESS:
        return SignInRequest.TOO_MANY
    to_address = recent.filter(email=email)
    if (
        to_address.count() >= LINKS_BEFORE_SLOWING
        and to_address.filter(created_at__gt=timezone.now() - SLOWED_INTERVAL).exists()
        and not _own_client(email, client)
    ):
        return SignInRequest.SLOWED
    return None


def sign_in_request(*, email: str, client: str | None, link_for: Callable[[str], str]) -> SignInRequest:
    """Email a sign-in link if the address belongs to a council. The answer is the
    same whether or not the address has signed in before."""
    email = person_email(email)
    curators_domain = email.rpartition("@")[2] in settings.CURATOR_EMAIL_DOMAINS
    if not curators_domain and not councils_for_email(email):
        return SignInRequest.UNKNOWN_DOMAIN
    refusal = _refusal(email, client)
    if refusal:
        return refusal
    if curators_domain and not _is_curator(email):
        # The same answer as for a curator, so the page never says who is one.
        return SignInRequest.SENT
    with transaction.atomic():
        # The queued email is a row in the same transaction: both are saved, or neither.
        _, token = SignInToken.issue(email, client)
        send_email.enqueue(
            to=[email], template="sign_in_link", context={"url": link_for(token), "minutes": 15}
        )
    return SignInRequest.SENT


def _is_curator(email: str) -> bool:
    return User.objects.filter(username=email, is_staff=True, is_active=True).exists()


def sign_in_complete(*, token: str, client: str | None = None) -> User | None:
    """The officer a valid, unused, unexpired link belongs to; the link is spent,
    and ``client`` remembered as one the officer signs in from."""
    with transaction.atomic():
        link = SignInToken.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if link is None or link.used_at is not None or link.expired:
            return None
        now = timezone.now()
        # This link and any others still waiting for the same address are spent.
        SignInToken.objects.filter(email=link.email, used_at__isnull=True).update(used_at=now)
        SignInToken.objects.filter(pk=link.pk).update(used_from=client)
        # Links are issued for the folded address (person_email), so bob+1@ and bob@ are one account.
        user, _ = User.objects.get_or_create(username=link.email, defaults={"email": link.email})
        for council in councils_for_email(link.email):
            membership, created = Membership.objects.get_or_create(
                user=user, council=council, defaults={"status": MembershipStatus.CONFIRMED}
            )
            if not created and membership.status != MembershipStatus.CONFIRMED:
                membership.status = MembershipStatus.CONFIRMED
                membership.save(update_fields=["status"])
        return user


def domain_request(*, email: str, council_name: str, message: str, client: str | None) -> DomainRequest:
    """Ask the curators to add a council's email domain, within the limits above."""
    if DOMAIN_REQUESTS_PER_CLIENT.reached(client or ""):
        return DomainRequest.TOO_MANY_FROM_CLIENT
    if DOMAIN_REQUESTS_IN_ALL.reached("site"):
        return DomainRequest.TOO_MANY_IN_ALL
    DOMAIN_REQUESTS_PER_CLIENT.record(client or "")
    DOMAIN_REQUESTS_IN_ALL.record("site")
    send_email.enqueue(
        to=[settings.CURATORS_EMAIL],
        template="domain_request",
        context={"email": normalise_email(email), "council_name": council_name, "message": message},
        reply_to=[normalise_email(email)],
    )
    return DomainRequest.SENT


def account_delete(*, user: User) -> None:
    """Remove an officer and their unpublished work. Published case studies stay,
    attributed to their councils."""
    with transaction.atomic():
        CaseStudy.objects.filter(created_by=user).exclude(
            publication_state=PublicationState.PUBLISHED
        ).delete()
        SignInToken.objects.filter(email=user.email).delete()
        user.delete()
