import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, PublicationState
from casestudies.permissions import can
from moderation.submission import CaseStudyForm
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.moderation.drafting import start, submit, topic_url, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


def complete(council, **overrides) -> dict:
    data = {
        "title": "Joint legal team",
        "summary": "Two districts share one legal team.",
        "challenge": "Small teams.",
        "approach": "- One team\n- One manager",
        "outcomes": "Lower fees.",
        "lessons": "Agree charging first.",
        "reform_types": [],
        "status": "implemented",
        "started_year": "2014",
        "lead_council": str(council.pk),
        "partner_councils": "",
        "partners_text": "Devon County Council legal team",
        "contact_role": "Head of Legal",
        "contact_name": "Jo",
        "contact_email": "jo@southhams.gov.uk",
    }
    data.update(overrides)
    return data


def test_an_officer_saves_an_incomplete_draft_and_nothing_is_lost(client, officer):
    client.force_login(officer)

    response = start(
        client, {"title": "Half-written idea", "summary": "Only a start", "lead_council": officer.council.pk}
    )

    study = CaseStudy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "submissions:edit", args=[study.pk]
    )
    assert study.publication_state == PublicationState.DRAFT
    assert study.summary == "Only a start"
    assert study.created_by == officer
    assert study.lead_council == officer.council


def test_submitting_an_incomplete_case_study_lists_every_problem(client, officer):
    client.force_login(officer)
    study = write(client, {"title": "Idea", "lead_council": officer.council.pk})

    response = submit(client, study)
    html = response.content.decode()

    assert response.status_code == 400
    assert "There is a problem" in html
    for message in ["Enter a summary", "Choose the status of the reform", "Enter the year the reform started",
                    "Choose at least one reform type"]:  # fmt: skip
        assert message in html
    # Each error links to its field on its topic's page; radios to the first radio, whose id is the field's.
    assert f'href="{topic_url(study, "what-happened")}#id_status"' in html
    assert f'href="{topic_url(study, "about")}#id_summary"' in html
    assert 'id="id_status"' in client.get(topic_url(study, "what-happened")).content.decode()
    study.refresh_from_db()
    assert study.publication_state == PublicationState.DRAFT and not study.history.exists()


def test_a_complete_case_study_is_submitted_for_review_and_stays_private(client, officer):
    client.force_login(officer)
    data = complete(officer.council, reform_types=["1"], partner_councils="West Devon")
    CouncilFactory(name="West Devon")
    study = write(client, data)

    response = submit(client, study)

    study = CaseStudy.objects.get()
    assert response["Location"] == reverse("accounts:account")
    assert study.publication_state == PublicationState.SUBMITTED
    assert [link.council.name for link in study.roles_in_order()] == ["South Hams", "West Devon"]
    assert client.get(study.get_absolute_url()).status_code == 404
    client.logout()
    assert "Joint legal team" not in client.get(reverse("casestudies:list"), {"q": "legal"}).content.decode()


def test_the_preview_looks_like_the_published_page(client, officer):
    client.force_login(officer)
    study = write(client, complete(officer.council))

    html = client.get(reverse("submissions:preview", args=[study.pk])).content.decode()

    assert "This is how your case study will look when it is published" in html
    assert '<h1 class="govuk-heading-xl">Joint legal team</h1>' in html
    assert "<li>One team</li>" in html
    assert "South Hams</a> \N{EN DASH} lead council" in html


def test_the_author_can_withdraw_a_submission_back_to_a_draft(client, officer):
    client.force_login(officer)
    study = write(client, complete(officer.council, reform_types=["1"]), submit_it=True)

    client.post(reverse("submissions:withdraw", args=[study.pk]))

    study.refresh_from_db()
    assert study.publication_state == PublicationState.DRAFT
    assert study.title == "Joint legal team"


def test_an_unknown_partner_council_is_explained(client, officer):
    client.force_login(officer)

    html = start(client, {**complete(officer.council), "partner_councils": "Atlantis"}).content.decode()

    assert "We do not know these councils: Atlantis" in html


def test_officers_may_only_lead_for_their_own_councils(client, officer):
    client.force_login(officer)
    other = CouncilFactory(name="Elsewhere")

    response = start(client, complete(other))

    assert response.status_code == 400
    assert CaseStudy.objects.count() == 0


def test_signing_in_is_needed_to_share_a_reform(client, db):
    response = client.get(reverse("submissions:new"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# The author wrote it as an officer of the lead council and has since moved to
# another; the inactive user is a curator and an officer of the lead council
# whose account has been switched off.
ROLES = ["anonymous", "author", "lead officer", "partner officer", "unrelated officer", "curator",
         "inactive user"]  # fmt: skip
STATES = ["draft", "submitted", "changes_requested", "published", "rejected", "archived"]
EVERYONE, TEAM, CURATOR, LEAD, NOBODY = (
    set(ROLES),
    {"author", "lead officer", "curator"},
    {"curator"},
    {"author", "lead officer"},
    set(),
)
# action -> {state: the roles that may do it}; a state left out means nobody.
RULES = {
    "view": {"draft": TEAM, "submitted": TEAM, "changes_requested": TEAM, "published": EVERYONE,
             "rejected": TEAM, "archived": TEAM},
    "view_draft": dict.fromkeys(STATES, TEAM),
    "download_attachment": {"draft": TEAM, "submitted": TEAM, "changes_requested": TEAM,
                            "published": EVERYONE, "rejected": TEAM, "archived": TEAM},
    "edit": {"draft": TEAM, "submitted": CURATOR, "changes_requested": TEAM, "published": CURATOR},
    "upload_attachment": {"draft": TEAM, "submitted": CURATOR, "changes_requested": TEAM,
                          "published": CURATOR},
    "submit": {"draft": TEAM, "changes_requested": TEAM},
    "withdraw": {"submitted": LEAD},
    "propose_edit": {"published": LEAD},
    "review": dict.fromkeys(STATES, CURATOR),
    "publish": {"submitted": CURATOR},
    "request_changes": {"submitted": CURATOR},
    "reject": {"submitted": CURATOR},
    "feature": {"published": CURATOR},
    "verify_evidence": {"published": CURATOR},
    "archive": {"published": CURATOR},
    "send_check": {"published": CURATOR},
    "restore": {"archived": CURATOR},
    # Officers of any council not behind it: the author's new council is one.
    "report_adoption": {"published": {"unrelated officer", "author"}},
}  # fmt: skip
EXPECTED = {
    (action, state): by_state.get(state, NOBODY) for action, by_state in RULES.items() for state in STATES
}


@pytest.fixture
def people(db):
    from django.contrib.auth.models import AnonymousUser

    lead, partner, unrelated, moved_to = (CouncilFactory() for _ in range(4))
    inactive = officer_of(lead, "gone@example.gov.uk")
    User.objects.filter(pk=inactive.pk).update(is_active=False, is_staff=True)
    inactive.refresh_from_db()

    return {
        "councils": (lead, partner),
        "anonymous": AnonymousUser(),
        "author": officer_of(moved_to, "author@example.gov.uk"),
        "inactive user": inactive,
        "lead officer": officer_of(lead, "lead@example.gov.uk"),
        "partner officer": officer_of(partner, "partner@example.gov.uk"),
        "unrelated officer": officer_of(unrelated, "unrelated@example.gov.uk"),
        "curator": User.objects.create(username="curator", email="curator@network.org", is_staff=True),
    }


@pytest.mark.parametrize(("action", "state"), list(EXPECTED))
def test_who_may_do_what(people, action, state):
    lead, partner = people["councils"]
    published_at = timezone.now() if state == "published" else None
    study = CaseStudyFactory(
        lead=lead,
        partners_councils=[partner],
        publication_state=state,
        published_at=published_at,
        created_by=people["author"],
    )

    allowed = {role for role in ROLES if can(people[role], action, study)}

    assert allowed == EXPECTED[(action, state)]


def test_the_form_asks_for_each_field_in_order(officer):
    # In the order of the topics' pages; the year and month started are one question.
    assert list(CaseStudyForm(user=officer).fields) == [
        "title", "summary", "lead_council", "partner_councils", "partners_text", "reform_types", "themes",
        "challenge", "approach", "outcomes", "lessons", "status", "started", "evidence_level",
        "annual_savings_gbp", "one_off_savings_gbp", "investment_gbp", "savings_notes", "contact_role",
        "contact_name", "contact_email", "version",
    ]  # fmt: skip
