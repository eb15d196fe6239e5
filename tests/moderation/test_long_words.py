"""A word longer than the suggestion word list can hold (a pasted URL, a run of
characters with no spaces) never costs an officer what they typed."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from casestudies.models import CaseStudy, PublicationState, ReformType
from tests.factories import CouncilFactory, officer_of
from tests.moderation.drafting import save_topic, start, write
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db

LONG_WORD = "x" * 150
APPROACH = f"We pooled the crews. See {LONG_WORD} for the plan."


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


def test_a_draft_with_a_150_character_word_is_saved(client, officer):
    client.force_login(officer)
    start(client, complete(officer.council))
    study = CaseStudy.objects.get()

    response = save_topic(client, study, "what-you-did", {"challenge": "Small teams.", "approach": APPROACH})

    study.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse(
        "submissions:edit", args=[study.pk]
    )
    assert study.approach == APPROACH and study.publication_state == PublicationState.DRAFT
    page = reverse("submissions:topic", args=[study.pk, "what-you-did"])
    assert LONG_WORD in client.get(page).content.decode()


def test_a_case_study_with_a_150_character_word_is_published_and_found(client, officer):
    reform_type = ReformType.objects.get(slug="shared-services")
    client.force_login(officer)
    study = write(
        client,
        complete(officer.council, reform_types=[str(reform_type.pk)], approach=APPROACH),
        submit_it=True,
    )
    client.force_login(User.objects.create(username="cat@network.org", is_staff=True))

    response = client.post(reverse("review:case-study-action", args=[study.pk, "publish"]))

    study.refresh_from_db()
    assert response.status_code == 302 and study.publication_state == PublicationState.PUBLISHED
    client.logout()
    assert study.title in client.get("/case-studies/?q=pooled+crews").content.decode()
