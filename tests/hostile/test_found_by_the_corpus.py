"""What the hostile corpus found, one test each: four 500s (one on SQLite, three
on PostgreSQL) and error summaries whose links led nowhere."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from casestudies.models import CaseStudy, ReformType
from moderation.models import StateChange
from peers.models import Follow
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams", code="SHA"), "jo@southhams.gov.uk")


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


def test_a_reform_type_number_past_64_bits_is_refused_naming_the_field(client, officer):
    # SQLite cannot compare such a number at all: OverflowError, a 500.
    draft = CaseStudyFactory(
        lead=officer.council, created_by=officer, publication_state="draft", published_at=None
    )
    client.force_login(officer)

    response = client.post(
        reverse("submissions:topic", args=[draft.pk, "reform-types"]),
        {"reform_types": ["9" * 40, str(ReformType.objects.first().pk)], "version": draft.version},
    )

    assert response.status_code == 400
    assert '<a href="#id_reform_types">Choose reform types from the list</a>' in response.content.decode()


def test_a_null_in_a_curators_reason_is_left_out(client, curator):
    # PostgreSQL refuses a NUL in text: recording the reason was a 500.
    study = CaseStudyFactory(publication_state="submitted", published_at=None)
    client.force_login(curator)

    response = client.post(
        reverse("review:case-study-action", args=[study.pk, "reject"]), {"message": "Not a\x00 reform."}
    )

    assert response.status_code == 302
    assert StateChange.objects.get(case_study=study).message == "Not a reform."
    assert CaseStudy.objects.get(pk=study.pk).publication_state == "rejected"


def test_a_reason_of_nothing_but_nulls_is_no_reason(client, curator):
    study = CaseStudyFactory(publication_state="submitted", published_at=None)
    client.force_login(curator)

    response = client.post(
        reverse("review:case-study-action", args=[study.pk, "reject"]), {"message": "\x00"}
    )

    assert response.status_code == 400
    assert '<a href="#reject-message">Enter the reason for rejecting it</a>' in response.content.decode()
    assert CaseStudy.objects.get(pk=study.pk).publication_state == "submitted"


def test_a_null_in_the_council_box_is_no_council(client, officer):
    # "Councils like mine" looked the name up as typed: a 500 on PostgreSQL.
    response = client.post(reverse("councils:choose-mine"), {"council": "South\x00 Hams"})

    assert response.status_code == 302 and response["Location"] == reverse("casestudies:list")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "No council is called “South\x00 Hams”. Type part of its name or its register code."
    ]
    assert client.post(reverse("councils:choose-mine"), {"council": "South Hams"})["Location"].endswith(
        "?like=sha"
    )


def test_a_search_too_long_to_keep_is_not_followed_and_the_officer_is_told(client, officer):
    # 990 characters typed become 5,000 written out (%C3%A9 each): past what a
    # follow keeps, a 500 on PostgreSQL (SQLite does not check the length).
    client.force_login(officer)

    response = client.post(
        reverse("peers:follow"), {"query": urlencode({"q": "é" * 990}), "frequency": "weekly"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert not Follow.objects.exists()
    account = client.get(reverse("accounts:account")).content.decode()
    assert "That search is too long to follow: use fewer or shorter search words." in account
    assert client.post(reverse("peers:follow"), {"query": urlencode({"q": "é" * 150})}).status_code == 302
    assert Follow.objects.get().query == urlencode({"q": "é" * 150})


@pytest.mark.parametrize(
    ("parameter", "value", "target"),
    [
        ("q", "legal\x00", "id_q"),  # the search box
        ("like", "Atlantis", "my-council"),  # the "councils like mine" box
        ("has_savings", "maybe", "filter-has_savings-0"),  # its one checkbox, now numbered from 0
        ("adopted", "maybe", "filter-adopted-0"),
        ("sort", "sideways", "id_sort"),
        ("reform_type", "none", "filter-reform_type-0"),
    ],
)
def test_each_link_of_the_list_pages_error_summary_leads_to_its_box(client, db, parameter, value, target):
    CaseStudyFactory()

    html = client.get(reverse("casestudies:list"), {parameter: value}).content.decode()

    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)[1]
    assert re.findall(r'href="#([^"]+)"', summary) == [target]
    assert f'id="{target}"' in html
