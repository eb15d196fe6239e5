"""'Did you mean ...?' offers only words the public can already read: a word
that appears only in a draft, a submission, a rejected, archived or deleted
case study is never suggested. Every case study here is written, reviewed and
removed through the site's own pages."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from casestudies.models import CaseStudy, ReformType
from tests.factories import CouncilFactory, officer_of
from tests.moderation.drafting import write as write_through_the_pages
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db

TITLE = "Xylophonic draft reform"
MISSPELT = "/case-studies/?q=xylophonik"


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


def write(client, officer, action: str, title: str = TITLE) -> CaseStudy:
    """The officer saves (action="save") or submits (action="submit") a case study."""
    client.force_login(officer)
    reform_type = ReformType.objects.get(slug="shared-services")
    data = {**complete(officer.council, reform_types=[str(reform_type.pk)]), "title": title}
    study = write_through_the_pages(client, data, submit_it=action == "submit")
    client.logout()
    return study


def review(client, curator, study: CaseStudy, action: str, message: str = "") -> None:
    client.force_login(curator)
    response = client.post(reverse("review:case-study-action", args=[study.pk, action]), {"message": message})
    assert response.status_code == 302
    client.logout()


def suggestion_for(client, url: str = MISSPELT) -> str:
    html = client.get(url).content.decode()
    if 'id="suggestion"' not in html:
        return ""
    return html.split('id="suggestion">')[1].split("</p>")[0]


def test_a_published_word_is_suggested(client, officer, curator):
    review(client, curator, write(client, officer, "submit"), "publish")

    assert ">xylophonic</a>" in suggestion_for(client)


def test_a_drafts_words_are_never_suggested(client, officer):
    write(client, officer, "save")

    assert suggestion_for(client) == ""


def test_a_submitted_case_studys_words_are_never_suggested(client, officer):
    write(client, officer, "submit")

    assert suggestion_for(client) == ""


def test_a_rejected_case_studys_words_are_never_suggested(client, officer, curator):
    review(client, curator, write(client, officer, "submit"), "reject", "Not a council reform.")

    assert suggestion_for(client) == ""


def test_an_archived_case_studys_words_are_no_longer_suggested(client, officer, curator):
    study = write(client, officer, "submit")
    review(client, curator, study, "publish")
    assert ">xylophonic</a>" in suggestion_for(client)

    review(client, curator, study, "archive")

    assert suggestion_for(client) == ""


def test_a_restored_case_studys_words_are_suggested_again(client, officer, curator):
    study = write(client, officer, "submit")
    review(client, curator, study, "publish")
    review(client, curator, study, "archive")

    review(client, curator, study, "restore")

    assert ">xylophonic</a>" in suggestion_for(client)


def test_a_deleted_accounts_drafts_leave_no_words_behind(client, officer):
    write(client, officer, "save")
    write(client, officer, "submit", title="Xylophonic submitted reform")
    client.force_login(officer)

    client.post(reverse("accounts:delete"), {"confirm": "yes"})

    assert not CaseStudy.objects.exists()
    assert suggestion_for(client) == ""


def test_a_published_case_study_deleted_by_a_curator_leaves_no_words_behind(client, officer):
    superuser = User.objects.create(username="root@network.org", is_staff=True, is_superuser=True)
    study = write(client, officer, "submit")
    review(client, superuser, study, "publish")
    client.force_login(superuser)

    response = client.post(reverse("admin:casestudies_casestudy_delete", args=[study.pk]), {"post": "yes"})

    assert response.status_code == 302 and not CaseStudy.objects.exists()
    client.logout()
    assert suggestion_for(client) == ""


def test_a_word_shared_with_a_published_case_study_stays_when_the_other_goes(client, officer, curator):
    keep = write(client, officer, "submit", title="Xylophonic shared service")
    review(client, curator, keep, "publish")
    gone = write(client, officer, "submit")
    review(client, curator, gone, "publish")

    review(client, curator, gone, "archive")

    assert ">xylophonic</a>" in suggestion_for(client)
