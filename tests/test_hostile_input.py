"""Hostile input through every text field of submission, contact and adoption:
rendered escaped everywhere, stored intact, never a 500."""

import re

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casestudies.models import Adoption, CaseStudy, ReformType
from casestudies.validators import control_characters
from moderation.adoption import AdoptionForm
from moderation.submission import REQUIRED_TO_SUBMIT, CaseStudyForm
from moderation.topics import TOPICS
from peers.contact import ContactForm
from peers.models import ContactRequest, Purpose
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


def fields_named(html: str) -> set[str]:
    """The fields the error summary links to."""
    return set(re.findall(r'<a href="#id_(\w+)"', html))


# What each form refuses of HOSTILE, by the fields its error summary names;
# everything else is accepted and kept as typed.
NUL, LONG = "\x00null", "A" * 10_000
FIRST_PAGE_REFUSES = {value: {"title", "summary", "partners_text"} for value in [NUL, LONG]}
CONTACT_REFUSES = {
    **{value: {"message"} for value in HOSTILE if len(value) < 20},  # a message has at least 20 characters
    **{value: set(CONTACT_TEXT) for value in [NUL, LONG]},
}
ADOPTION_REFUSES = {value: set(ADOPTION_TEXT) for value in [NUL, LONG]}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_submissions(client, officer, value):
    client.force_login(officer)
    data = dict.fromkeys(SUBMISSION_TEXT, value)
    data.update(lead_council=officer.council.pk, started_year="2015")

    response = start(client, data)  # the first page, which makes the draft

    refused = FIRST_PAGE_REFUSES.get(value, set())
    answer = (response.status_code, fields_named(response.content.decode()))
    assert answer == ((400, refused) if refused else (302, set()))
    assert_escaped(response.content.decode())
    if refused:
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

    refused = CONTACT_REFUSES.get(value, set())
    answer = (response.status_code, fields_named(response.content.decode()))
    assert answer == ((400, refused) if refused else (200, set()))
    assert_escaped(response.content.decode())
    if refused:
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

    refused = ADOPTION_REFUSES.get(value, set())
    answer = (response.status_code, fields_named(response.content.decode()))
    assert answer == ((400, refused) if refused else (302, set()))
    assert_escaped(response.content.decode())
    if refused:
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


# Property-based: any text at all in any field is either accepted as typed or
# refused with an error on that field, for a reason its rules give; never an
# exception, never an error on a field whose text was fine.

any_text = st.one_of(
    st.text(max_size=400),  # anything at all
    # What people type, in any script: mostly accepted, so that acceptance is tested too.
    st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=20, max_size=150),
)


def refused_text(form, data: dict, *, also_required=(), controls=True) -> set[str]:
    """The text fields (plain CharFields) a person would expect to be refused for
    what they typed: empty when required, holding a NUL, a control character
    (``controls``: a line break too, in a one-line box), or shorter or longer
    than the field allows, after the surrounding spaces are dropped as the form
    drops them."""
    refused = set()
    for name, field in form.fields.items():
        if type(field) is not forms.CharField or name not in data:
            continue
        text = str(data[name]).strip()
        multiline = isinstance(field.widget, forms.Textarea)
        if not text:
            wrong = field.required or name in also_required
        else:
            wrong = (
                "\x00" in text
                or (controls and bool(control_characters(text, multiline=multiline)))
                or (field.max_length is not None and len(text) > field.max_length)
                or (field.min_length is not None and len(text) < field.min_length)
            )
        if wrong:
            refused.add(name)
    return refused


def assert_refused_only_for_a_reason(form, data: dict, **rules) -> None:
    valid = form.is_valid()
    text_fields = {name for name, field in form.fields.items() if type(field) is forms.CharField}
    assert set(form.errors) <= {*form.fields, NON_FIELD_ERRORS}
    assert all(message.strip() for messages in form.errors.values() for message in messages)
    assert set(form.errors) & text_fields == refused_text(form, data, **rules)
    if valid:  # kept as typed, but for the surrounding spaces
        for name in text_fields & set(data):
            assert form.cleaned_data[name] == str(data[name]).strip(), name


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
        assert_refused_only_for_a_reason(form, data, also_required=REQUIRED_TO_SUBMIT if submitting else ())


@given(values=st.fixed_dictionaries(dict.fromkeys(CONTACT_TEXT, any_text)), purpose=any_text)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_contact_form_never_breaks(officer, values, purpose):
    data = {**values, "purpose": purpose, "sender_council": officer.council.pk}
    form = ContactForm(data, user=officer)
    assert_refused_only_for_a_reason(form, data)
    assert ("purpose" in form.errors) == (purpose not in Purpose.values)


@given(
    values=st.fixed_dictionaries(
        dict.fromkeys([*ADOPTION_TEXT, "adopted_year", "adopted_month", "annual_savings_gbp"], any_text)
    )
)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_adoption_form_never_breaks(officer, values):
    study = CaseStudyFactory.build()
    study.save()
    data = {**values, "council": officer.council.pk, "status": "implemented"}
    form = AdoptionForm(data, user=officer, study=study)
    # Its two texts refuse control characters, as a case study's do: they reach feeds and emails too.
    assert_refused_only_for_a_reason(form, data)
