"""Curators review, improve and publish; every change of state is recorded and
emailed to whoever it concerns; nothing unreviewed reaches the public."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, PublicationState, ReformType
from councils.models import Membership, MembershipStatus
from moderation import transitions as moderation
from moderation.models import Action, ProposedEdit, ProposedEditState, StateChange
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries
from tests.moderation import test_submission
from tests.moderation.drafting import save_topic, submit, write


def complete(council, **overrides) -> dict:
    """Everything a submission needs."""
    reform_type = ReformType.objects.get(slug="shared-services")
    return test_submission.complete(council, reform_types=[str(reform_type.pk)], **overrides)


pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    return CouncilFactory(name="South Hams")


@pytest.fixture
def officer(council):
    user = User.objects.create(username="jo@southhams.gov.uk", email="jo@southhams.gov.uk")
    Membership.objects.create(user=user, council=council, status=MembershipStatus.CONFIRMED)
    return user


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


@pytest.fixture
def submitted(client, officer, council):
    """A case study the officer has written and submitted, through the site."""
    client.force_login(officer)
    write(client, {**complete(council), "title": "Joint legal team for two districts"}, submit_it=True)
    client.logout()
    mail.outbox.clear()
    return CaseStudy.objects.get(title="Joint legal team for two districts")


def test_submitting_records_the_change_and_tells_the_curators(client, officer, council, settings):
    client.force_login(officer)
    draft = write(client, complete(council))

    submit(client, draft)

    study = CaseStudy.objects.get()
    assert study.publication_state == PublicationState.SUBMITTED and study.submitted_at
    change = study.history.get()
    assert (change.action, change.actor, change.from_state, change.to_state) == (
        Action.SUBMITTED,
        officer,
        "draft",
        "submitted",
    )
    assert [m.to for m in mail.outbox] == [[settings.CURATORS_EMAIL]]
    assert study.title in mail.outbox[0].subject
    assert f"/review/case-studies/{study.pk}/" in mail.outbox[0].body


def test_a_submission_is_absent_from_every_public_page_until_published(client, submitted):
    for url in [
        reverse("casestudies:list"),
        reverse("casestudies:list") + "?q=legal",
        reverse("home"),
        reverse("api:case-study-list"),
        reverse("opendata:export-csv"),
        reverse("feed-all"),
    ]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url  # the page itself, not a redirect or an error page
        assert submitted.title not in body.decode(), url
    assert client.get(f"/case-studies/{submitted.slug}/").status_code == 404


def test_the_queue_lists_submissions_and_edits_oldest_first_with_who_and_when(client, curator, officer):
    older = CaseStudyFactory(
        title="Older submission",
        publication_state="submitted",
        published_at=None,
        created_by=officer,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    newer = CaseStudyFactory(
        title="Newer submission",
        publication_state="submitted",
        published_at=None,
        submitted_at=timezone.now() - datetime.timedelta(days=1),
    )
    published = CaseStudyFactory(title="Published one")
    ProposedEdit.objects.create(
        case_study=published,
        data={},
        created_by=officer,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(curator)

    html = client.get(reverse("review:queue")).content.decode()

    positions = [html.index(title) for title in ["Older submission", "Published one", "Newer submission"]]
    assert positions == sorted(positions)
    assert "jo@southhams.gov.uk" in html and "Proposed edit" in html and "New case study" in html
    # Each item opens its own review page: the submissions theirs, the edit the edit's.
    edit = ProposedEdit.objects.get()
    for title, page in [
        ("Older submission", reverse("review:case-study", args=[older.pk])),
        ("Published one", reverse("review:edit", args=[edit.pk])),
        ("Newer submission", reverse("review:case-study", args=[newer.pk])),
    ]:
        assert f'<a class="govuk-link" href="{page}">{title}</a>' in html


def test_a_long_queue_is_shown_a_page_at_a_time_oldest_first(client, curator, officer, monkeypatch):
    monkeypatch.setattr("moderation.views.review.QUEUE_PAGE", 2)
    now = timezone.now()
    for days in [5, 3, 1]:
        CaseStudyFactory(
            title=f"Submitted {days} days ago", publication_state="submitted", published_at=None,
            created_by=officer, submitted_at=now - datetime.timedelta(days=days),
        )  # fmt: skip
    for days in [4, 2]:
        ProposedEdit.objects.create(
            case_study=CaseStudyFactory(title=f"Edited {days} days ago"), data={}, created_by=officer,
            submitted_at=now - datetime.timedelta(days=days),
        )  # fmt: skip
    client.force_login(curator)

    pages = [client.get(reverse("review:queue"), {"page": page}).content.decode() for page in (1, 2, 3)]

    shown = [[title for title in TITLES if f">{title}</a>" in html] for html in pages]
    assert shown == [
        ["Submitted 5 days ago", "Edited 4 days ago"],
        ["Submitted 3 days ago", "Edited 2 days ago"],
        ["Submitted 1 days ago"],
    ]
    assert "oldest first (5): 1 to 2" in pages[0] and "oldest first (5): 5 to 5" in pages[2]
    assert 'href="?page=2" rel="next"' in pages[0] and 'rel="next"' not in pages[2]


TITLES = [
    "Submitted 5 days ago",
    "Edited 4 days ago",
    "Submitted 3 days ago",
    "Edited 2 days ago",
    "Submitted 1 days ago",
]


def test_the_queue_costs_the_same_however_many_wait(client, curator, officer):
    def waiting(number):
        for _ in range(number):
            CaseStudyFactory(publication_state="submitted", published_at=None, created_by=officer)
        return count_queries(client, reverse("review:queue"))

    client.force_login(curator)
    client.get(reverse("review:queue"))  # the first page after signing in also saves the session

    assert waiting(3) == waiting(60)


def test_the_queue_says_just_now_for_a_submission_made_this_minute(client, curator, officer):
    CaseStudyFactory(
        publication_state="submitted", published_at=None, created_by=officer, submitted_at=timezone.now()
    )
    client.force_login(curator)

    html = client.get(reverse("review:queue")).content.decode()

    assert "(just now)" in html and "0 minutes" not in html


@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_only_curators_reach_the_queue_and_its_actions(client, who, officer, submitted):
    if who == "officer":
        client.force_login(officer)

    pages = [
        client.get(reverse("review:queue")),
        client.get(reverse("review:case-study", args=[submitted.pk])),
        client.post(reverse("review:case-study-action", args=[submitted.pk, "publish"])),
    ]

    for response in pages:
        if who == "anonymous":
            assert response.status_code == 302 and "/sign-in/" in response["Location"]
        else:
            assert response.status_code == 403
    assert CaseStudy.objects.get(pk=submitted.pk).publication_state == PublicationState.SUBMITTED


def test_a_curator_publishes_and_the_author_is_told(client, curator, officer, submitted):
    client.force_login(curator)

    response = client.post(reverse("review:case-study-action", args=[submitted.pk, "publish"]))

    assert response.status_code == 302
    study = CaseStudy.objects.get(pk=submitted.pk)
    assert study.publication_state == PublicationState.PUBLISHED
    assert study.published_at and study.last_confirmed_at == timezone.localdate()
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "published" in mail.outbox[0].subject.lower()
    assert study.get_absolute_url() in mail.outbox[0].body
    assert client.get(study.get_absolute_url()).status_code == 200
    assert study.title in client.get(reverse("casestudies:list") + "?q=legal+team").content.decode()
    change = study.history.latest("at")
    assert (change.action, change.actor, change.from_state, change.to_state) == (
        Action.PUBLISHED,
        curator,
        "submitted",
        "published",
    )


def test_publishing_twice_is_refused_and_recorded_once(client, curator, submitted):
    client.force_login(curator)
    url = reverse("review:case-study-action", args=[submitted.pk, "publish"])

    client.post(url)
    response = client.post(url, follow=True)

    assert "cannot be done to it now" in response.content.decode()
    assert StateChange.objects.filter(case_study=submitted, action=Action.PUBLISHED).count() == 1


def test_requesting_changes_needs_a_message_that_the_author_sees(client, curator, officer, submitted):
    client.force_login(curator)
    url = reverse("review:case-study-action", args=[submitted.pk, "request_changes"])

    empty = client.post(url, {"message": "  "}, follow=True)
    assert "Enter what needs to change" in empty.content.decode()
    assert CaseStudy.objects.get(pk=submitted.pk).publication_state == PublicationState.SUBMITTED
    assert mail.outbox == []

    client.post(url, {"message": "Please add the savings figures from the 2016 report."})

    study = CaseStudy.objects.get(pk=submitted.pk)
    assert study.publication_state == PublicationState.CHANGES_REQUESTED
    assert mail.outbox[0].to == [officer.email]
    assert "Please add the savings figures" in mail.outbox[0].body
    assert reverse("submissions:edit", args=[study.pk]) in mail.outbox[0].body
    client.force_login(officer)
    assert "Please add the savings figures" in client.get(reverse("accounts:account")).content.decode()
    edit_page = client.get(reverse("submissions:edit", args=[study.pk])).content.decode()
    assert "Please add the savings figures" in edit_page
    # The author can change it and resubmit.
    write(client, complete(study.lead_council, outcomes="Saved £40,000 a year."), study=study, submit_it=True)
    assert CaseStudy.objects.get(pk=study.pk).publication_state == PublicationState.SUBMITTED


def test_rejecting_needs_a_reason_and_tells_the_author(client, curator, officer, submitted):
    client.force_login(curator)

    client.post(
        reverse("review:case-study-action", args=[submitted.pk, "reject"]),
        {"message": "This is a press release, not a case study."},
    )

    assert CaseStudy.objects.get(pk=submitted.pk).publication_state == PublicationState.REJECTED
    assert "press release" in mail.outbox[0].body and mail.outbox[0].to == [officer.email]


def test_curators_can_edit_a_submission_before_publishing(client, curator, submitted):
    client.force_login(curator)

    response = save_topic(
        client,
        submitted,
        "about",
        {
            "title": "Shared legal service",
            "summary": submitted.summary,
            "lead_council": submitted.lead_council.pk,
        },
    )

    assert response.status_code == 302
    study = CaseStudy.objects.get(pk=submitted.pk)
    assert study.title == "Shared legal service"
    assert study.publication_state == PublicationState.SUBMITTED
    assert study.created_by.email == "jo@southhams.gov.uk"


def test_feature_verify_archive_and_restore(client, curator, officer):
    study = CaseStudyFactory(created_by=officer, evidence_level=3)
    client.force_login(curator)

    def act(action, **data):
        return client.post(reverse("review:case-study-action", args=[study.pk, action]), data)

    act("feature")
    act("verify_evidence")
    study.refresh_from_db()
    assert study.featured and study.evidence_verified
    assert "Checked by a curator" in client.get(study.get_absolute_url()).content.decode()

    act("archive", message="The service was brought back in house.")
    study.refresh_from_db()
    assert study.publication_state == PublicationState.ARCHIVED and not study.featured
    assert client.get(study.get_absolute_url()).status_code == 404

    act("restore")
    assert client.get(study.get_absolute_url()).status_code == 200
    actions = list(study.history.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["featured", "evidence_verified", "archived", "restored"]
    assert [m.to for m in mail.outbox] == [[officer.email]] * 4
    assert "brought back in house" in mail.outbox[2].body


def test_the_history_is_shown_to_curators_and_to_the_author(client, curator, officer, submitted):
    moderation.request_changes(submitted, curator, "Add the costs.")
    client.force_login(curator)
    assert "Add the costs." in client.get(reverse("review:case-study", args=[submitted.pk])).content.decode()
    client.force_login(officer)
    page = client.get(reverse("submissions:edit", args=[submitted.pk])).content.decode()
    assert "History" in page and "Changes requested" in page and "Add the costs." in page


# Proposed edits to published case studies.


@pytest.fixture
def published(officer, council):
    return CaseStudyFactory(
        title="Joint waste depot", lead=council, created_by=officer, outcomes="Saved £100,000 a year."
    )


def propose(client, user, study, **changes):
    client.force_login(user)
    data = {
        **complete(study.lead_council),
        "title": study.title,
        "outcomes": study.outcomes,
        "reform_types": [t.pk for t in study.reform_types.all()],
        "themes": [t.pk for t in study.themes.all()],
        "contact_email": study.contact_email,
        "contact_role": study.contact_role,
        "contact_name": study.contact_name,
        "summary": study.summary,
        "challenge": study.challenge,
        "approach": study.approach,
        "lessons": study.lessons,
        "partners_text": "",
        "status": study.status,
        "started_year": study.started_year,
        "evidence_level": study.evidence_level,
        **changes,
        "action": "submit",
    }
    return client.post(reverse("submissions:propose-edit", args=[study.pk]), data)


def test_an_officer_proposes_an_edit_and_the_published_page_stays_until_accepted(
    client, officer, curator, published
):
    response = propose(client, officer, published, outcomes="Saved £250,000 a year by 2019.")

    assert response.status_code == 302
    edit = ProposedEdit.objects.get()
    assert edit.state == ProposedEditState.SUBMITTED
    assert mail.outbox[-1].to == [moderation.settings.CURATORS_EMAIL]
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Saved £100,000 a year." in page and "250,000" not in page

    client.force_login(curator)
    review = client.get(reverse("review:edit", args=[edit.pk])).content.decode()
    assert "What happened" in review and "Saved £250,000 a year by 2019." in review
    assert (
        "Title" not in review.split("What would change")[1].split("</table>")[0]
    )  # unchanged fields are not listed

    client.post(reverse("review:edit-action", args=[edit.pk, "accept"]))

    edit.refresh_from_db()
    assert edit.state == ProposedEditState.ACCEPTED
    study = CaseStudy.objects.get(pk=published.pk)
    assert study.outcomes == "Saved £250,000 a year by 2019."
    assert study.slug == published.slug and study.publication_state == PublicationState.PUBLISHED
    assert "250,000" in client.get(published.get_absolute_url()).content.decode()
    assert mail.outbox[-1].to == [officer.email] and "accepted" in mail.outbox[-1].body


def test_only_officers_of_the_lead_council_may_propose_edits(client, published):
    partner = CouncilFactory(name="West Devon")
    published.council_roles.create(council=partner, role="partner")
    stranger = User.objects.create(username="al@westdevon.gov.uk", email="al@westdevon.gov.uk")
    Membership.objects.create(user=stranger, council=partner, status=MembershipStatus.CONFIRMED)

    response = propose(client, stranger, published, outcomes="Something else")

    assert response.status_code == 403
    assert not ProposedEdit.objects.exists()


def test_a_curator_returns_an_edit_and_the_author_resubmits(client, officer, curator, published):
    propose(client, officer, published, outcomes="New figures")
    edit = ProposedEdit.objects.get()
    client.force_login(curator)
    client.post(
        reverse("review:edit-action", args=[edit.pk, "request_changes"]), {"message": "Cite the source."}
    )
    assert "Cite the source." in mail.outbox[-1].body and mail.outbox[-1].to == [officer.email]

    client.force_login(officer)
    page = client.get(reverse("submissions:proposed-edit", args=[edit.pk])).content.decode()
    assert "Cite the source." in page and "New figures" in page
    data = {**edit.data, "outcomes": ["New figures (audited accounts 2019)"], "action": ["submit"]}
    client.post(reverse("submissions:proposed-edit", args=[edit.pk]), data)

    edit.refresh_from_db()
    assert edit.state == ProposedEditState.SUBMITTED
    assert edit.data["outcomes"] == ["New figures (audited accounts 2019)"]
    assert ProposedEdit.objects.count() == 1


def test_another_officers_proposed_edit_answers_as_a_number_never_used(client, officer, published):
    propose(client, officer, published, outcomes="New figures")
    edit = ProposedEdit.objects.get()
    colleague = User.objects.create(username="jo@example.gov.uk", email="jo@example.gov.uk")
    client.force_login(colleague)

    for name in ["submissions:proposed-edit", "submissions:proposed-edit-withdraw"]:
        taken = client.post(reverse(name, args=[edit.pk]))
        never_used = client.post(reverse(name, args=[edit.pk + 1000]))
        assert (taken.status_code, never_used.status_code) == (404, 404), name
    assert client.get(reverse("submissions:proposed-edit", args=[edit.pk])).status_code == 404
    edit.refresh_from_db()
    assert edit.is_open


def test_rejecting_an_edit_leaves_the_page_unchanged(client, officer, curator, published):
    propose(client, officer, published, outcomes="Wrong figures")
    edit = ProposedEdit.objects.get()
    client.force_login(curator)

    client.post(reverse("review:edit-action", args=[edit.pk, "reject"]), {"message": "Not supported."})

    assert CaseStudy.objects.get(pk=published.pk).outcomes == "Saved £100,000 a year."
    assert ProposedEdit.objects.get().state == ProposedEditState.REJECTED


# Two people editing the same draft.


def test_the_second_save_is_told_of_the_first_and_shown_the_difference(client, officer, council):
    study = CaseStudyFactory(
        lead=council, created_by=officer, publication_state="draft", published_at=None, title="Shared HR"
    )
    colleague = User.objects.create(username="sam@southhams.gov.uk", email="sam@southhams.gov.uk")
    Membership.objects.create(user=colleague, council=council, status=MembershipStatus.CONFIRMED)
    opened_at = study.version
    url = reverse("submissions:topic", args=[study.pk, "what-you-did"])

    client.force_login(officer)
    first = client.post(url, {"challenge": "Small teams.", "approach": "Jo's approach", "version": opened_at})
    assert first.status_code == 302
    client.force_login(colleague)
    second = client.post(
        url, {"challenge": "Small teams.", "approach": "Sam's approach", "version": opened_at}
    )

    html = second.content.decode()
    assert second.status_code == 409
    assert "Someone else saved this case study after you opened it" in html
    assert "Jo&#x27;s approach" in html and "Sam&#x27;s approach" in html  # both versions, side by side
    assert CaseStudy.objects.get(pk=study.pk).approach == "Jo's approach"  # nothing overwritten
    # Saving again from the conflict page is a deliberate choice, and works.
    version = int(__import__("re").search(r'name="version" value="(\d+)"', html).group(1))
    third = client.post(url, {"challenge": "Small teams.", "approach": "Sam's approach", "version": version})
    assert third.status_code == 302
    assert CaseStudy.objects.get(pk=study.pk).approach == "Sam's approach"


# Keeping the shelves fresh.


def test_old_case_studies_are_labelled_for_readers_and_flagged_to_curators(client, curator):
    today = timezone.localdate()
    old = CaseStudyFactory(title="Old reform", last_confirmed_at=today - datetime.timedelta(days=19 * 31))
    fresh = CaseStudyFactory(title="Fresh reform", last_confirmed_at=today - datetime.timedelta(days=17 * 30))

    assert "Not confirmed as accurate for 1\xa0year" in client.get(old.get_absolute_url()).content.decode()
    assert "Not confirmed as accurate" not in client.get(fresh.get_absolute_url()).content.decode()
    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    stale_section = queue.split("Not confirmed as accurate for 18 months")[1]
    assert "Old reform" in stale_section and "Fresh reform" not in stale_section


def test_the_contact_confirms_in_one_click_from_a_signed_link(client, curator):
    old = CaseStudyFactory(title="Old reform", last_confirmed_at=datetime.date(2023, 1, 1))
    client.force_login(curator)
    client.post(reverse("review:case-study-action", args=[old.pk, "send_check"]))
    client.logout()

    message = mail.outbox[-1]
    assert message.to == [old.contact_email] and "still accurate" in message.subject
    link = __import__("re").search(r"https?://\S+/still-accurate/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Propose an edit" in page.content.decode()
    assert CaseStudy.objects.get(pk=old.pk).last_confirmed_at == datetime.date(
        2023, 1, 1
    )  # GET changes nothing

    done = client.post("/" + path)

    assert done.status_code == 200
    assert CaseStudy.objects.get(pk=old.pk).last_confirmed_at == timezone.localdate()
    assert old.history.filter(action=Action.CONFIRMED).exists()


def test_a_tampered_link_confirms_nothing(client):
    study = CaseStudyFactory(last_confirmed_at=datetime.date(2023, 1, 1))
    token = moderation.check_token(study)

    assert client.post(reverse("moderation:still-accurate", args=[token[:-2] + "xx"])).status_code == 400
    assert CaseStudy.objects.get(pk=study.pk).last_confirmed_at == datetime.date(2023, 1, 1)


def test_publish_and_reject_ask_first_and_the_question_changes_nothing(client, curator):
    submitted = CaseStudyFactory(publication_state=PublicationState.SUBMITTED, published_at=None)
    client.force_login(curator)
    review = client.get(reverse("review:case-study", args=[submitted.pk])).content.decode()
    publish_url = reverse("review:case-study-action", args=[submitted.pk, "publish"])
    assert f'href="{publish_url}"' in review  # the button opens the question; it is not a form that acts

    question = client.get(publish_url)
    asked = client.get(
        reverse("review:case-study-action", args=[submitted.pk, "reject"]), {"message": "Too thin"}
    )

    assert question.status_code == 200 and "Publish this case study?" in question.content.decode()
    assert "Too thin</textarea>" in asked.content.decode()  # the reason typed on the review page is kept
    assert CaseStudy.objects.get(pk=submitted.pk).publication_state == PublicationState.SUBMITTED
    assert not mail.outbox


def test_rejecting_without_a_reason_asks_for_one_and_rejects_nothing(client, curator):
    submitted = CaseStudyFactory(publication_state=PublicationState.SUBMITTED, published_at=None)
    client.force_login(curator)

    response = client.post(
        reverse("review:case-study-action", args=[submitted.pk, "reject"]), {"message": " "}
    )

    assert response.status_code == 400
    assert "Enter the reason for rejecting it" in response.content.decode()
    assert CaseStudy.objects.get(pk=submitted.pk).publication_state == PublicationState.SUBMITTED
