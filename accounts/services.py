"""Signing in by emailed link, and what an officer's address says about them."""

import enum
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.models import SignInToken, hash_token
from casestudies.models import CaseStudy, PublicationState
from core.tasks import send_email
from councils.models import Council, Membership, MembershipStatus

MAX_LINKS_PER_ADDRESS = 5  # an hour
MAX_LINKS_PER_CLIENT = 20  # an hour


class SignInRequest(enum.Enum):
    SENT = "sent"
    UNKNOWN_DOMAIN = "unknown-domain"
    TOO_MANY = "too-many"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def councils_for_email(email: str) -> list[Council]:
    domain = normalise_email(email).rpartition("@")[2]
    return list(Council.objects.filter(email_domains__domain=domain).distinct().order_by("name"))


def sign_in_request(*, email: str, client: str | None, link_for: Callable[[str], str]) -> SignInRequest:
    """Email a sign-in link if the address belongs to a council. The answer is the
    same whether or not the address has signed in before."""
    email = normalise_email(email)
    if not councils_for_email(email):
        return SignInRequest.UNKNOWN_DOMAIN
    recent = SignInToken.objects.recent()
    if recent.filter(email=email).count() >= MAX_LINKS_PER_ADDRESS or (
        client and recent.filter(requested_from=client).count() >= MAX_LINKS_PER_CLIENT
    ):
        return SignInRequest.TOO_MANY
    with transaction.atomic():
        # The queued email is a row in the same transaction: both are saved, or neither.
        _, token = SignInToken.issue(email, client)
        send_email.enqueue(
            to=[email], template="sign_in_link", context={"url": link_for(token), "minutes": 15}
        )
    return SignInRequest.SENT


def sign_in_complete(*, token: str) -> User | None:
    """The officer a valid, unused, unexpired link belongs to; the link is spent."""
    with transaction.atomic():
        link = SignInToken.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if link is None or link.used_at is not None or link.expired:
            return None
        now = timezone.now()
        # This link and any others still waiting for the same address are spent.
        SignInToken.objects.filter(email=link.email, used_at__isnull=True).update(used_at=now)
        user, _ = User.objects.get_or_create(username=link.email, defaults={"email": link.email})
        for council in councils_for_email(link.email):
            membership, created = Membership.objects.get_or_create(
                user=user, council=council, defaults={"status": MembershipStatus.CONFIRMED}
            )
            if not created and membership.status != MembershipStatus.CONFIRMED:
                membership.status = MembershipStatus.CONFIRMED
                membership.save(update_fields=["status"])
        return user


def domain_request(*, email: str, council_name: str, message: str) -> None:
    """Ask the curators to add a council's email domain."""
    send_email.enqueue(
        to=[settings.CURATORS_EMAIL],
        template="domain_request",
        context={"email": normalise_email(email), "council_name": council_name, "message": message},
        reply_to=[normalise_email(email)],
    )


def account_delete(*, user: User) -> None:
    """Remove an officer and their unpublished work. Published case studies stay,
    attributed to their councils."""
    with transaction.atomic():
        CaseStudy.objects.filter(created_by=user).exclude(
            publication_state=PublicationState.PUBLISHED
        ).delete()
        SignInToken.objects.filter(email=user.email).delete()
        user.delete()
