"""The hostile corpus (corpus.py) in every form: signing in, asking for a
council's domain, feedback, contacting a team, each page of a submission, an
adoption, a proposed edit, a curator's message, choosing one's council and
following a search. Each entry of the corpus is typed into one box of every
form, the boxes taking turns, while the other boxes hold what a person would
type; so every entry reaches every form, and none hides behind another's error.
(The submission's six pages share out the control characters between them.)

Never a 500, on either database. The answer is the form's answer to anything
it takes (its own status, no errors) or to anything it refuses (its own
status, an error summary whose every link leads to a box on the page, naming
at least one box the value was typed into); the page is escaped either way.
Every POST is made in a savepoint rolled back after it, so that rate limits
and "already done" never answer in the form's place."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, ReformType
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.hostile.corpus import CONTROL, HOSTILE, SYNTAX, UNICODE
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db


@dataclass
class People:
    officer: User  # of South Hams, which leads the draft and the published case study
    adopter: User  # of a council not behind them
    curator: User
    draft: CaseStudy
    published: CaseStudy
    submitted: CaseStudy


@pytest.fixture(scope="module")
def people(shelves) -> People:
    council = shelves
    officer = officer_of(council, "jo@southhams.gov.uk")
    adopter = officer_of(CouncilFactory(name="West Devon"), "al@westdevon.gov.uk")
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)

    def study(state: str) -> CaseStudy:
        published = state == "published"
        return CaseStudyFactory(
            lead=council,
            created_by=officer,
            publication_state=state,
            published_at=timezone.now() if published else None,
            title=f"Joint {state} legal team",
        )

    return People(officer, adopter, curator, study("draft"), study("published"), study("submitted"))


@dataclass(frozen=True)
class Form:
    name: str
    address: Callable[[People], str]
    boxes: dict[str, object]  # the boxes the corpus is typed into, each with a good answer
    as_who: str | None  # "officer", "adopter", "curator" or None for a visitor
    accepted: int  # the status of a form that takes what was typed
    refused: int  # and of one that refuses it
    fixed: Callable[[People], dict] = lambda people: {}  # what else it needs, answered well
    version_of: str | None = None  # the case study whose version the form carries
    typed_as: Callable[[str], str] | None = None  # how the entry is sent, if not as it is

    def __str__(self) -> str:
        return self.name


def topic(slug: str) -> Callable[[People], str]:
    return lambda people: reverse("submissions:topic", args=[people.draft.pk, slug])


def reform_type() -> str:
    return str(ReformType.objects.order_by("pk").values_list("pk", flat=True).first())


FORMS = [
    Form("sign in", lambda p: reverse("accounts:sign-in"), {"email": "jo@southhams.gov.uk"}, None, 200, 200),
    Form(
        "sign in, and where to go next",
        lambda p: reverse("accounts:sign-in") + "?next=",
        {"next": "/case-studies/", "email": "jo@southhams.gov.uk"},
        None,
        200,
        200,
    ),
    Form(
        "domain request",
        lambda p: reverse("accounts:request-domain"),
        {"email": "sam@unknown-council.example", "council_name": "Unknown", "message": "Please add us."},
        None,
        200,
        200,
    ),
    Form(
        "feedback",
        lambda p: reverse("feedback"),
        {"doing": "Searching", "feedback": "It worked.", "email": "", "page": "/case-studies/"},
        None,
        200,
        400,
    ),
    Form(
        "contact a team",
        lambda p: reverse("peers:contact", args=[p.published.slug]),
        {
            "subject": "A question",
            "message": "How did you agree the split of costs?",
            "sender_name": "Al",
            "sender_role": "Head of Legal",
            "purpose": "question",
        },
        "officer",
        200,
        400,
        lambda p: {"sender_council": p.officer.council.pk},
    ),
    Form(
        "start a case study",
        lambda p: reverse("submissions:start"),
        {"title": "Shared legal team", "summary": "Two districts, one team.", "partner_councils": "",
         "partners_text": "Devon County Council", "lead_council": None},
        "officer",
        302,
        400,
    ),
    Form(
        "reform types and themes",
        topic("reform-types"),
        {"reform_types": None, "themes": []},
        "officer",
        302,
        400,
        version_of="draft",
    ),
    Form(
        "what you did",
        topic("what-you-did"),
        {"challenge": "Small teams.", "approach": "- One team"},
        "officer",
        302,
        400,
        version_of="draft",
    ),
    Form(
        "what happened",
        topic("what-happened"),
        {"outcomes": "Lower fees.", "lessons": "Agree charging first.", "status": "implemented",
         "started_month": "4", "started_year": "2015"},
        "officer",
        302,
        400,
        version_of="draft",
    ),
    Form(
        "evidence and money",
        topic("evidence-and-money"),
        {"evidence_level": "2", "annual_savings_gbp": "£40,000", "one_off_savings_gbp": "",
         "investment_gbp": "10k", "savings_notes": "Audited."},
        "officer",
        302,
        400,
        version_of="draft",
    ),
    Form(
        "contact details",
        topic("contact"),
        {"contact_role": "Head of Legal", "contact_name": "Jo", "contact_email": "jo@southhams.gov.uk"},
        "officer",
        302,
        400,
        version_of="draft",
    ),
    Form(
        "report an adoption",
        lambda p: reverse("moderation:report-adoption", args=[p.published.slug]),
        {"changes": "We kept one manager.", "outcomes": "It worked.", "adopted_year": "2020",
         "adopted_month": "", "annual_savings_gbp": "", "status": "implemented"},
        "adopter",
        302,
        400,
        lambda p: {"council": p.adopter.council.pk},
    ),
    Form(
        "propose an edit",
        lambda p: reverse("submissions:propose-edit", args=[p.published.pk]),
        {"title": "Joint legal team", "summary": "Two districts share one legal team.",
         "approach": "- One team", "savings_notes": "", "contact_name": "Jo", "partners_text": ""},
        "officer",
        302,
        400,
        lambda p: {**complete(p.officer.council), "reform_types": [reform_type()]},
        version_of="published",
    ),
    Form(
        "a curator rejects",
        lambda p: reverse("review:case-study-action", args=[p.submitted.pk, "reject"]),
        {"message": "Not a council reform."},
        "curator",
        302,
        400,
    ),
    Form(
        "choose my council",
        lambda p: reverse("councils:choose-mine"),
        {"council": "South Hams", "query": "q=waste"},
        None,
        302,
        302,  # back to the list, saying no council has that name
    ),
    Form(
        "follow a search",
        lambda p: reverse("peers:follow"),
        {"query": "q=waste", "frequency": "weekly"},
        "officer",
        302,
        302,
    ),
    Form(
        "follow a search, as the list page sends it",
        lambda p: reverse("peers:follow"),
        {"query": "q=waste"},
        "officer",
        302,
        302,
        typed_as=lambda text: urlencode({"q": text, "council": text}),
    ),
]  # fmt: skip


def good_answers(people: People, form: Form) -> dict:
    # The answers that name something made for the module, known only once it is made.
    made = {"lead_council": people.officer.council.pk, "reform_types": reform_type()}
    return {box: made.get(box, value) if value is None else value for box, value in form.boxes.items()}


def error_summary(html: str) -> list[str]:
    """Where each link of the error summary goes (an id on the page)."""
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    return re.findall(r'href="[^"#]*#([^"]+)"', summary[0]) if summary else []


def post(client, people: People, form: Form, values: dict[str, str]):
    typed = {box: form.typed_as(text) if form.typed_as else text for box, text in values.items()}
    data = {**form.fixed(people), **good_answers(people, form), **typed}
    if form.version_of:
        study = getattr(people, form.version_of)
        data["version"] = CaseStudy.objects.values_list("version", flat=True).get(pk=study.pk)
    address = form.address(people)
    if address.endswith("?next="):
        return client.post(address + quote(data.pop("next"), safe=""), data)
    return client.post(address, data)


def answer(client, people: People, form: Form, values: dict[str, str]) -> str:
    """What the form says, as "accepted" or "refused"; anything else says what it was."""
    with transaction.atomic():
        response = post(client, people, form, values)
        transaction.set_rollback(True)
    html = response.content.decode()
    assert "<script>alert(1)" not in html and "onerror=alert(1)>" not in html
    anchors = error_summary(html)
    missing = [anchor for anchor in anchors if f'id="{anchor}"' not in html]
    if missing:
        return f"{response.status_code}, error summary links to nothing: {missing}"
    if not anchors:
        return "accepted" if response.status_code == form.accepted else f"{response.status_code}"
    named = {anchor.removeprefix("id_") for anchor in anchors}
    if not any(
        name in {box, f"reject-{box}"} or name.startswith(f"{box}_") for name in named for box in values
    ):
        return f"{response.status_code}, errors name only {sorted(named)}"
    return "refused" if response.status_code == form.refused else f"{response.status_code}, refused"


def test_what_a_person_would_type_is_taken_by_every_form(client, people):
    for form in FORMS:
        client.logout()
        if form.as_who:
            client.force_login(getattr(people, form.as_who))
        assert answer(client, people, form, {}) == "accepted", form.name


# The submission is one form in six pages, each one CaseStudyForm checking every
# text box for control characters alike: the control characters are shared out
# among its pages, and every other entry goes to every page.
SUBMISSION = ["start a case study", "reform types and themes", "what you did", "what happened",
              "evidence and money", "contact details"]  # fmt: skip


def entries(form: Form) -> list[tuple[str, str]]:
    if form.name not in SUBMISSION:
        return HOSTILE
    page = SUBMISSION.index(form.name)
    return [*CONTROL[page :: len(SUBMISSION)], *UNICODE, *SYNTAX]


def attempts(form: Form) -> dict[str, dict[str, str]]:
    """The entries typed into one box each, the boxes taking turns."""
    boxes = [list(form.boxes)[turn % len(form.boxes)] for turn in range(len(entries(form)))]
    return {f"{name} in {box}": {box: value} for box, (name, value) in zip(boxes, entries(form), strict=True)}


def sent(*forms: Form) -> list[str]:
    return [value for form in forms for values in attempts(form).values() for value in values.values()]


def test_every_entry_of_the_corpus_reaches_every_form():
    everything = sorted(value for _, value in HOSTILE)
    for form in FORMS:
        if form.name not in SUBMISSION:
            assert sorted(sent(form)) == everything, form.name
        assert {box for values in attempts(form).values() for box in values} == set(form.boxes), form.name
    pages = [form for form in FORMS if form.name in SUBMISSION]
    assert len(pages) == len(SUBMISSION) and set(sent(*pages)) == set(everything)


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_every_form_takes_or_refuses_any_text_naming_the_box(client, people, form):
    if form.as_who:
        client.force_login(getattr(people, form.as_who))
    answers = {name: answer(client, people, form, values) for name, values in attempts(form).items()}

    assert {name: said for name, said in answers.items() if said not in {"accepted", "refused"}} == {}
