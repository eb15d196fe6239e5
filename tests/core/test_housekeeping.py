"""`manage.py housekeeping` does every room's scheduled work and says what it did."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import SignInToken
from core.models import SentEmail

pytestmark = pytest.mark.django_db


def test_old_sign_in_links_and_records_of_sent_email_are_forgotten_and_new_ones_kept():
    long_ago = timezone.now() - datetime.timedelta(days=91)
    old, _ = SignInToken.issue("jo@southhams.gov.uk", "203.0.113.9")
    SignInToken.objects.filter(pk=old.pk).update(created_at=long_ago)
    recent, _ = SignInToken.issue("jo@southhams.gov.uk", "203.0.113.9")
    SentEmail.objects.create(key="old", sent_at=long_ago)
    SentEmail.objects.create(key="new", sent_at=timezone.now())
    out = io.StringIO()

    call_command("housekeeping", stdout=out)

    assert list(SignInToken.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["new"]
    said = out.getvalue()
    assert "1 sign-in links older than 90 days deleted" in said
    assert "1 records of emails sent over 30 days ago deleted" in said
    assert "Done: 3 parts." in said
