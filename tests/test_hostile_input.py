"""Hostile input through every text field of submission, contact and adoption:
rendered escaped everywhere, stored intact, never a 500."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casestudies.models import Adoption, CaseStudy, ReformType
from moderation.adoption import AdoptionForm
from moderation.submission import CaseStudyForm
from moderation.topics import TOPICS
from peers.contact import ContactForm
from peers.models import ContactRequest
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.moderation.drafting import start, topic_url, write
from tests.test_security import HOSTILE

pytestmark = pytest.mark.django_db

SUBMISSION_TEXT = [
    "title",
    "summary",
    "challenge",
    "approach",
    "outcomes",
    "lessons",
    "partners_text",
    "savings_notes",
    "contact_role",
    "contact_name",
]
CONTACT_TEXT = ["subject", "message", "sender_name", "sender_role"]
ADOPTION_TEXT = ["changes", "outcomes"]


def assert_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "onerror=alert(1)>" not in html
    assert 'href="javascript:' not in html


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="Mid Devon"), "al@middevon.gov.uk")


def stored_as_typed(value: str) -> str:
    return value.strip()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_submissions(client, officer, value):
    client.force_login(officer)
    data = dict.fromkeys(SUBMISSION_TEXT, value)
    data.update(lead_council=officer.council.pk, started_year="2015")

    response = start(client, data)  # the first page, which makes the draft

    assert response.status_code in (302, 400)
    assert_escaped(response.content.decode())
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()
        assert not CaseStudy.objects.exists()
        return
    study = write(client, data, study=CaseStudy.objects.get())  # every other page, each saved
    for name in ["title", "summary", "challenge", "approach", "outcomes", "lessons", "savings_notes"]:
        assert getattr(study, name) == stored_as_typed(value), name
    preview = client.get(reverse("submissions:preview", args=[study.pk]))
    assert preview.status_code == 200
    assert_escaped(preview.content.decode())
    for page in [reverse("submissions:edit", args=[study.pk]), reverse("submissions:check", args=[study.pk])]:
        assert_escaped(client.get(page).content.decode())
    for topic in TOPICS:
        assert_escaped(client.get(topic_url(study, topic)).content.decode())


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_contact_messages(client, officer, value):
    study = CaseStudyFactory()
    client.force_login(officer)
    data = dict.fromkeys(CONTACT_TEXT, value)
    data.update(purpose="question", sender_council=officer.council.pk)

    response = client.post(reverse("peers:contact", args=[study.slug]), data)

    assert response.status_code in (200, 400)
    assert_escaped(response.content.decode())
    if response.status_code == 400:
        assert not ContactRequest.objects.exists() and mail.outbox == []
        return
    stored = ContactRequest.objects.get()
    assert stored.message == stored_as_typed(value) and stored.subject == stored_as_typed(value)
    assert stored_as_typed(value) in mail.outbox[-1].body  # plain text: sent as typed, not HTML-escaped


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_adoptions(client, officer, value):
    study = CaseStudyFactory()
    client.force_login(officer)
    data = dict.fromkeys(ADOPTION_TEXT, value)
    data.update(council=officer.council.pk, adopted_year="2020", status="implemented")

    response = client.post(reverse("moderation:report-adoption", args=[study.slug]), data)

    assert response.status_code in (302, 400)
    assert_escaped(response.content.decode())
    if response.status_code == 400:
        assert not Adoption.objects.exists()
        return
    adoption = Adoption.objects.get()
    assert adoption.changes == stored_as_typed(value) and adoption.outcomes == stored_as_typed(value)
    Adoption.objects.update(state="approved")
    assert_escaped(client.get(study.get_absolute_url()).content.decode())
    curator = User.objects.create(username="cat@network.org", is_staff=True)
    client.force_login(curator)
    page = client.get(reverse("review:adoption", args=[adoption.pk]))
    assert page.status_code == 200
    assert_escaped(page.content.decode())


# Property-based: any text at all in any field is either accepted or refused with
# an error, never an exception.

any_text = st.text(max_size=400)


@given(values=st.fixed_dictionaries(dict.fromkeys(SUBMISSION_TEXT, any_text)))
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_case_study_form_never_breaks(officer, values):
    reform_type = ReformType.objects.first()
    data = {
        **values,
        "lead_council": officer.council.pk,
        "reform_types": [reform_type.pk],
        "status": "implemented",
        "started_year": "2015",
    }
    for submitting in (False, True):
        form = CaseStudyForm(data, instance=CaseStudy(), user=officer, submitting=submitting)
        assert form.is_valid() or form.errors


@given(values=st.fixed_dictionaries(dict.fromkeys(CONTACT_TEXT, any_text)), purpose=any_text)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_contact_form_never_breaks(officer, values, purpose):
    form = ContactForm({**values, "purpose": purpose, "sender_council": officer.council.pk}, user=officer)
    assert form.is_valid() or form.errors


@given(
    values=st.fixed_dictionaries(
        dict.fromkeys([*ADOPTION_TEXT, "adopted_year", "adopted_month", "annual_savings_gbp"], any_text)
    )
)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_adoption_form_never_breaks(officer, values):
    study = CaseStudyFactory.build()
    study.save()
    form = AdoptionForm(
        {**values, "council": officer.council.pk, "status": "implemented"}, user=officer, study=study
    )
    assert form.is_valid() or form.errors
