"""Someone else's draft is not found, exactly like a number never used, so
nobody can count or probe case studies by their numbers. The author, the lead
council's officers and curators do all they did before."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from casestudies.models import CaseStudy
from tests.factories import CouncilFactory, officer_of
from tests.moderation.drafting import write
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.fixture
def author(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


@pytest.fixture
def stranger(db):
    return officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")


@pytest.fixture
def draft(client, author) -> CaseStudy:
    client.force_login(author)
    study = write(client, complete(author.council))
    client.logout()
    return study


def answers(client, pk: int) -> list[int]:
    about = reverse("submissions:topic", args=[pk, "about"])
    check = reverse("submissions:check", args=[pk])
    return [
        client.get(reverse("submissions:edit", args=[pk])).status_code,
        client.get(about).status_code,
        client.post(about, {"title": "Mine now"}).status_code,
        client.get(reverse("submissions:topic", args=[pk, "documents"])).status_code,
        client.get(check).status_code,
        client.post(check).status_code,
        client.get(reverse("submissions:preview", args=[pk])).status_code,
        client.post(reverse("submissions:withdraw", args=[pk])).status_code,
        client.get(reverse("submissions:propose-edit", args=[pk])).status_code,
        client.post(reverse("submissions:attachment-upload", args=[pk])).status_code,
    ]


def test_someone_elses_draft_is_not_found_like_a_number_never_used(client, draft, stranger):
    client.force_login(stranger)

    assert answers(client, draft.pk) == answers(client, MISSING) == [404] * 10
    draft.refresh_from_db()
    assert draft.title == "Joint legal team"


def test_the_author_and_curators_still_open_and_save_the_draft(client, draft, author):
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)
    for user in [author, curator]:
        client.force_login(user)

        assert client.get(reverse("submissions:edit", args=[draft.pk])).status_code == 200
        assert client.get(reverse("submissions:topic", args=[draft.pk, "about"])).status_code == 200
        assert client.get(reverse("submissions:check", args=[draft.pk])).status_code == 200
        assert client.get(reverse("submissions:preview", args=[draft.pk])).status_code == 200


def test_the_author_is_still_told_a_submitted_case_study_cannot_be_edited_meanwhile(client, draft, author):
    client.force_login(author)
    draft.publication_state = "submitted"
    draft.save()

    assert client.get(reverse("submissions:edit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("submissions:topic", args=[draft.pk, "about"])).status_code == 403
