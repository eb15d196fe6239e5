"""The contact relay's daily limits count a person, not an account: accounts made
with plus-addressing (al+1@, al+2@) share the allowance of the mailbox behind them.
One client may also send only so many messages a day, whoever is signed in."""

import pytest
from django.urls import reverse

from peers.models import ContactRequest
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.peers.test_contact import message

pytestmark = pytest.mark.django_db
DESK = {"REMOTE_ADDR": "203.0.113.9"}
# The README's numbers: 5 messages a day per person, 1 per case study, 20 from one client.
PER_PERSON, PER_CLIENT = 5, 20


@pytest.fixture
def council(db):
    return CouncilFactory(name="Mid Devon")


def send(client, study, officer, **extra):
    client.force_login(officer)
    return client.post(reverse("peers:contact", args=[study.slug]), message(officer), **extra)


def test_plus_tagged_accounts_share_one_persons_daily_limit(client, council):
    al = officer_of(council, "al@middevon.gov.uk")
    al_again = officer_of(council, "al+2@middevon.gov.uk")
    studies = CaseStudyFactory.create_batch(PER_PERSON + 1)
    for study in studies[:PER_PERSON]:
        assert send(client, study, al).status_code == 200

    refused = send(client, studies[-1], al_again)

    assert refused.status_code == 429
    assert "at most 5 messages a day" in refused.content.decode()
    assert ContactRequest.objects.count() == PER_PERSON


def test_plus_tagged_accounts_share_the_one_message_a_day_per_case_study(client, council):
    study = CaseStudyFactory()
    assert send(client, study, officer_of(council, "al+1@middevon.gov.uk")).status_code == 200

    refused = send(client, study, officer_of(council, "AL@middevon.gov.uk"))

    assert refused.status_code == 429
    assert "already sent a message about this case study today" in refused.content.decode()


def test_one_client_sends_at_most_twenty_messages_a_day(client, council):
    officers = [officer_of(council, f"officer{number}@middevon.gov.uk") for number in range(5)]
    studies = CaseStudyFactory.create_batch(PER_PERSON)
    for officer in officers:
        for study in studies[:4]:
            assert send(client, study, officer, **DESK).status_code == 200

    refused = send(client, studies[4], officers[0], **DESK)

    assert refused.status_code == 429
    assert "At most 20 messages a day can be sent from one connection" in refused.content.decode()
    assert send(client, studies[4], officers[0], REMOTE_ADDR="198.51.100.7").status_code == 200
    assert ContactRequest.objects.count() == PER_CLIENT + 1
