"""Single-use sign-in links. Only a hash of each token is stored, so a copy of
the database cannot be used to sign in."""

import hashlib
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

LINK_LIFETIME = timedelta(minutes=15)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignInTokenQuerySet(models.QuerySet):
    def recent(self, within: timedelta = timedelta(hours=1)) -> "SignInTokenQuerySet":
        return self.filter(created_at__gte=timezone.now() - within)


class SignInToken(models.Model):
    email = models.EmailField(db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # The client that signed in with this link; empty for links spent because another was used.
    # Where an officer has signed in from is theirs: see accounts.services, "Limits".
    used_from = models.GenericIPAddressField(null=True, blank=True)

    objects = SignInTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Sign-in link for {self.email}"

    @classmethod
    def issue(cls, email: str, requested_from: str | None) -> tuple["SignInToken", str]:
        token = secrets.token_urlsafe(32)
        return cls.objects.create(
            email=email, token_hash=hash_token(token), requested_from=requested_from
        ), token

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.created_at + LINK_LIFETIME
