"""Who may do what, asked through the pages rather than of can(): the table of
tests/moderation/test_submission.py (RULES), driven over HTTP for every role
and every publication state, at every address that acts on a case study.

What the product answers today, for someone the table refuses: a visitor (and
an account switched off, whose session is no longer anyone's) is sent to sign
in; an officer who may not see the case study gets 404, the same as for a
number never used, so that ids cannot be probed; one who may see it but not
do this gets 403. The curators' pages answer 403 to everyone but curators; a
curator asking for what the state does not allow is sent back to the review
page. Nothing a refused POST asks for is done: the case study, its documents,
its history and its proposed edits are as they were.

The councils, people and case studies (one in each state, each with a document)
are made once for the module; every request is made in a savepoint rolled
back after it, so that what one role does is not seen by the next."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, ReformType
from councils.models import Membership, MembershipStatus
from moderation.models import Attachment, ProposedEdit, StateChange
from moderation.topics import TOPICS
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.helpers import HttpsClient
from tests.moderation.drafting import posted_names
from tests.moderation.test_submission import EXPECTED, ROLES, STATES, complete

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SIGN_IN = reverse("accounts:sign-in")
CHANGED_APPROACH = "- One team\n- One manager, changed through the page"


@dataclass
class World:
    people: dict[str, User | None]  # None: nobody signed in
    clients: dict[str, HttpsClient]  # a browser for each role, signed in as it
    studies: dict[str, CaseStudy]  # by publication state
    documents: dict[str, Attachment]  # one on each case study, by its state


def _document(study: CaseStudy, title: str = "Business case") -> Attachment:
    attachment = Attachment(
        case_study=study,
        title=title,
        filename="case.pdf",
        content_type="application/pdf",
        kind="PDF",
        size=len(PDF),
    )
    attachment.file.save("case.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def _build() -> World:
    lead, partner, unrelated, moved_to = (CouncilFactory() for _ in range(4))
    author = officer_of(moved_to, "author@example.gov.uk")
    inactive = officer_of(lead, "gone@example.gov.uk")
    User.objects.filter(pk=inactive.pk).update(is_active=False, is_staff=True)
    people = {
        "anonymous": None,
        "author": author,
        "lead officer": officer_of(lead, "lead@example.gov.uk"),
        "partner officer": officer_of(partner, "partner@example.gov.uk"),
        "unrelated officer": officer_of(unrelated, "unrelated@example.gov.uk"),
        "curator": User.objects.create(username="curator", email="curator@network.org", is_staff=True),
        "inactive user": User.objects.get(pk=inactive.pk),
    }
    assert set(people) == set(ROLES)
    assert Membership.objects.filter(user=author, council=lead).exists() is False  # the author has moved
    studies = {
        state: CaseStudyFactory(
            title=f"Shared legal team, {state.replace('_', ' ')}",
            lead=lead,
            partners_councils=[partner],
            publication_state=state,
            published_at=timezone.now() if state in {"published", "archived"} else None,
            created_by=author,
        )
        for state in STATES
    }
    clients = {role: HttpsClient() for role in ROLES}
    for role, person in people.items():
        if person:
            clients[role].force_login(person)
    return World(people, clients, studies, {state: _document(study) for state, study in studies.items()})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Made once, inside a transaction that is rolled back after the module's last test."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        STORAGES={**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    )
    with django_db_blocker.unblock(), media:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# What a request may change, read before and after it.


def snapshot(study: CaseStudy) -> dict:
    row = CaseStudy.objects.values(
        "publication_state", "version", "title", "approach", "featured", "evidence_verified"
    ).get(pk=study.pk)
    documents = Attachment.objects.filter(case_study=study).order_by("pk")
    return {
        **row,
        "documents": [(document.pk, default_storage.exists(document.file.name)) for document in documents],
        "proposed_edits": ProposedEdit.objects.filter(case_study=study).count(),
        "history": StateChange.objects.filter(case_study=study).count(),
    }


def becomes(key: str, value) -> Callable[[dict, dict], bool]:
    return lambda before, after: before[key] != value and after[key] == value


def state_is(state: str) -> Callable[[dict, dict], bool]:
    return becomes("publication_state", state)


def one_more(key: str) -> Callable[[dict, dict], bool]:
    return lambda before, after: len(after[key]) == len(before[key]) + 1


# The pages. Each step is one request; "rule" is the action of RULES it answers to.


@dataclass(frozen=True)
class Step:
    name: str
    rule: str
    method: str
    address: Callable[[CaseStudy], str]
    data: Callable[[CaseStudy], dict] = field(default=lambda study: {})
    effect: Callable[[dict, dict], bool] | None = None  # what doing it changes (POST only)
    pages: str = "submission"  # submission, review (curators'), public or published-only

    def __str__(self) -> str:
        return self.name


def _submissions(name: str, suffix: str = "") -> Callable[[CaseStudy], str]:
    return lambda study: reverse(f"submissions:{name}", args=[study.pk]) + suffix


def _review(action: str) -> Callable[[CaseStudy], str]:
    return lambda study: reverse("review:case-study-action", args=[study.pk, action])


def _topic(slug: str) -> Callable[[CaseStudy], str]:
    return lambda study: reverse("submissions:topic", args=[study.pk, slug])


def _whole_form(study: CaseStudy) -> dict:
    """Every field, as the proposed-edit page posts them."""
    data = complete(
        study.lead_council, approach=CHANGED_APPROACH, reform_types=[str(ReformType.objects.first().pk)]
    )
    names = [name for topic in TOPICS for name in posted_names(topic)]
    return {**{name: data[name] for name in names if name in data}, "version": study.version}


def _new_document_to_delete(study: CaseStudy) -> str:
    # Made in the request's savepoint: deleting it removes a file no other request needs.
    return reverse("submissions:attachment-delete", args=[_document(study, "To remove").pk])


STEPS = [
    Step("preview", "view_draft", "get", _submissions("preview")),
    Step("task list", "edit", "get", _submissions("edit")),
    Step("topic page", "edit", "get", _topic("what-you-did")),
    Step("check page", "edit", "get", _submissions("check")),
    Step(
        "save a topic",
        "edit",
        "post",
        _topic("what-you-did"),
        lambda study: {"challenge": study.challenge, "approach": CHANGED_APPROACH, "version": study.version},
        becomes("approach", CHANGED_APPROACH),
    ),
    Step(
        "submit",
        "submit",
        "post",
        _submissions("check"),
        lambda study: {"version": study.version},
        state_is("submitted"),
    ),
    Step("withdraw", "withdraw", "post", _submissions("withdraw"), effect=state_is("draft")),
    Step("propose an edit (page)", "propose_edit", "get", _submissions("propose-edit")),
    Step(
        "propose an edit",
        "propose_edit",
        "post",
        _submissions("propose-edit"),
        _whole_form,
        lambda before, after: after["proposed_edits"] == before["proposed_edits"] + 1,
    ),
    Step(
        "upload a document",
        "upload_attachment",
        "post",
        _submissions("attachment-upload"),
        lambda study: {"title": "Evaluation", "file": ContentFile(PDF, name="evaluation.pdf")},
        one_more("documents"),
    ),
    Step(
        "delete a document",
        "upload_attachment",
        "post",
        _new_document_to_delete,
        effect=lambda before, after: len(after["documents"]) == len(before["documents"]) - 1,
    ),
    Step(
        "download a document",
        "download_attachment",
        "get",
        lambda study: study.attachments.order_by("pk").first().get_absolute_url(),
        pages="public",
    ),
    Step(
        "report an adoption (page)",
        "report_adoption",
        "get",
        lambda study: reverse("moderation:report-adoption", args=[study.slug]),
        pages="published-only",
    ),
    Step(
        "review page",
        "review",
        "get",
        lambda study: reverse("review:case-study", args=[study.pk]),
        pages="review",
    ),
    Step("publish (confirm page)", "publish", "get", _review("publish"), pages="review"),
    Step("publish", "publish", "post", _review("publish"), effect=state_is("published"), pages="review"),
    Step(
        "request changes",
        "request_changes",
        "post",
        _review("request_changes"),
        lambda study: {"message": "Please add the savings."},
        state_is("changes_requested"),
        pages="review",
    ),
    Step("reject (confirm page)", "reject", "get", _review("reject"), pages="review"),
    Step(
        "reject",
        "reject",
        "post",
        _review("reject"),
        lambda study: {"message": "Not a council reform."},
        state_is("rejected"),
        pages="review",
    ),
    Step(
        "feature",
        "feature",
        "post",
        _review("feature"),
        effect=becomes("featured", True),
        pages="review",
    ),
    Step(
        "verify the evidence",
        "verify_evidence",
        "post",
        _review("verify_evidence"),
        effect=becomes("evidence_verified", True),
        pages="review",
    ),
    Step(
        "ask if still accurate",
        "send_check",
        "post",
        _review("send_check"),
        effect=lambda before, after: after["history"] == before["history"] + 1,
        pages="review",
    ),
    Step("archive", "archive", "post", _review("archive"), effect=state_is("archived"), pages="review"),
    Step("restore", "restore", "post", _review("restore"), effect=state_is("published"), pages="review"),
]

SIGNED_OUT = {"anonymous", "inactive user"}  # an account switched off is signed out


def expected(step: Step, state: str, role: str) -> str:
    """What the table says this role gets from this page, in this state."""
    if role in EXPECTED[(step.rule, state)]:
        return "200" if step.method == "get" else "302 done"
    if step.pages == "public":
        return "404"
    if role in SIGNED_OUT:
        return "302 sign-in"
    if step.pages == "review":
        return "302 refused" if role == "curator" else "403"
    if step.pages == "published-only" and state != "published":
        return "404"
    return "403" if role in EXPECTED[("view", state)] else "404"


def attempt(world: World, step: Step, state: str, role: str) -> str:
    """What this role gets, in the same words; the request's writes are undone after it."""
    with transaction.atomic():
        study = CaseStudy.objects.get(pk=world.studies[state].pk)
        address = step.address(study)
        before = snapshot(study)
        response = getattr(world.clients[role], step.method)(address, step.data(study))
        after = snapshot(study)
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith(SIGN_IN):
        answer = "302 sign-in"
    elif response.status_code == 302 and step.effect and step.effect(before, after):
        return "302 done"
    elif response.status_code == 302:
        answer = "302 refused"
    else:
        answer = str(response.status_code)
    return answer if after == before else f"{answer}, yet changed"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", STEPS, ids=str)
def test_each_role_gets_what_the_table_says_through_the_page(world, db, step, state):
    found = {role: attempt(world, step, state, role) for role in ROLES}

    # Only the roles that differ, each as (what it got, what the table says).
    table = {role: expected(step, state, role) for role in ROLES}
    assert {role: (found[role], table[role]) for role in ROLES if found[role] != table[role]} == {}


def test_every_action_of_the_table_but_the_internal_ones_has_a_page_here():
    # "view" is what the pages consult for their 404s; creating is not about a case study.
    assert {step.rule for step in STEPS} | {"view"} == {action for action, _ in EXPECTED}


def test_the_steps_can_tell_done_from_refused(world, db):
    # A check of the checks: a curator's publish of a submission is seen to be done,
    # and the same request for a draft is seen to be refused and to change nothing.
    publish = next(step for step in STEPS if step.name == "publish")

    assert attempt(world, publish, "submitted", "curator") == "302 done"
    assert attempt(world, publish, "draft", "curator") == "302 refused"
    assert CaseStudy.objects.get(pk=world.studies["submitted"].pk).publication_state == "submitted"


def test_a_number_never_used_is_not_found_on_every_submission_page(world, db):
    client = world.clients["curator"]
    missing = CaseStudy(pk=CaseStudy.objects.order_by("-pk").first().pk + 1000, slug="never-used")

    for step in STEPS:
        if step.pages in {"submission", "published-only"} and step.address is not _new_document_to_delete:
            response = getattr(client, step.method)(step.address(missing), {})
            assert response.status_code == 404, step.name


@pytest.mark.parametrize("state", ["draft", "published"])
def test_confirmed_membership_is_what_counts(world, client, db, state):
    # An officer waiting for a curator to confirm their place at the lead council
    # is, until then, anyone else.
    waiting = User.objects.create(username="waiting@example.gov.uk", email="waiting@example.gov.uk")
    Membership.objects.create(
        user=waiting, council=world.studies[state].lead_council, status=MembershipStatus.PENDING
    )
    client.force_login(waiting)

    response = client.get(reverse("submissions:preview", args=[world.studies[state].pk]))

    assert response.status_code == (404 if state == "draft" else 403)
