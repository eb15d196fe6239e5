"""Accounts' part of the scheduled work (see core.housekeeping)."""

import datetime

from django.dispatch import receiver

from accounts.models import SignInToken
from accounts.services import OWN_CLIENT_DAYS
from core.housekeeping import housekeeping_due


@receiver(housekeeping_due, dispatch_uid="accounts-housekeeping")
def forget_old_sign_in_links(sender, now, **kwargs) -> str:
    """A sign-in link (with the addresses it was asked for and used from) is kept
    only as long as the limits look back for an officer's own client."""
    cutoff = now - datetime.timedelta(days=OWN_CLIENT_DAYS)
    deleted, _ = SignInToken.objects.filter(created_at__lt=cutoff).delete()
    return f"{deleted} sign-in links older than {OWN_CLIENT_DAYS} days deleted, with their addresses"
