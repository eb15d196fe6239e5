"""How far a case study has got, read from what is saved: each topic's status
in the task list, what is still missing before it can be submitted (each with
a link to the topic's page and the field), and its answers for the check page."""

from dataclasses import dataclass

from django.urls import reverse

from casestudies.fields import Kind, PublicField
from casestudies.models import CaseStudy, CouncilRole
from moderation.month_year import MonthYearWidget
from moderation.submission import MONEY, REQUIRED_TO_START, REQUIRED_TO_SUBMIT, CaseStudyForm
from moderation.topics import DOCUMENTS, FIRST, TOPICS, Topic, form_names

COMPLETED = "Completed"
INCOMPLETE = "Incomplete"
NOT_STARTED = "Not yet started"
CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    topic: Topic
    status: str
    url: str  # empty when it cannot be started yet


@dataclass(frozen=True)
class Missing:
    message: str
    url: str  # the topic's page, at the field


@dataclass(frozen=True)
class Answer:
    label: str
    text: str


def topic_url(study: CaseStudy, topic: Topic) -> str:
    return reverse("submissions:topic", args=[study.pk, topic.slug])


def _answered(study: CaseStudy, field: PublicField) -> bool:
    if field.kind is Kind.COUNCILS:
        return study.lead_council is not None
    if field.kind is Kind.VOCABULARY:
        return bool(getattr(study, field.attribute).all())
    if field.kind is Kind.YEAR_MONTH:
        return getattr(study, field.attributes[0]) is not None
    return getattr(study, field.attribute) not in (None, "", [])


def _required(field: PublicField) -> bool:
    return any(name in REQUIRED_TO_SUBMIT or name in REQUIRED_TO_START for name in form_names(field))


def topic_status(study: CaseStudy, topic: Topic) -> str:
    """Not yet started while nothing in it is answered; completed once all it
    requires is (at once, for a topic that requires nothing); incomplete between."""
    answered = {field: _answered(study, field) for field in topic.fields}
    if not any(answered.values()):
        return NOT_STARTED
    if all(done for field, done in answered.items() if _required(field)):
        return COMPLETED
    return INCOMPLETE


def tasks(study: CaseStudy) -> list[Task]:
    if not study.pk:
        later = [Task(topic, CANNOT_START, "") for topic in [*TOPICS[1:], DOCUMENTS]]
        return [Task(FIRST, NOT_STARTED, reverse("submissions:start")), *later]
    documents = COMPLETED if study.attachments.all() else NOT_STARTED
    return [
        *(Task(topic, topic_status(study, topic), topic_url(study, topic)) for topic in TOPICS),
        Task(DOCUMENTS, documents, topic_url(study, DOCUMENTS)),
    ]


def anchor(name: str) -> str:
    """The id of the box a missing answer goes in; for a month and year, the year's."""
    if isinstance(CaseStudyForm.base_fields[name].widget, MonthYearWidget):
        return f"id_{name}_year"
    return f"id_{name}"


def missing(study: CaseStudy) -> list[Missing]:
    """What must be there before the case study can be submitted, in the order the topics ask."""
    return [
        Missing(REQUIRED_TO_SUBMIT[name], f"{topic_url(study, topic)}#{anchor(name)}")
        for topic in TOPICS
        for field in topic.fields
        if not _answered(study, field)
        for name in form_names(field)
        if name in REQUIRED_TO_SUBMIT
    ]


def _text(study: CaseStudy, name: str) -> str:
    roles = study.roles_in_order()
    if name in {"lead_council", "partner_councils"}:
        role = CouncilRole.LEAD if name == "lead_council" else CouncilRole.PARTNER
        return "\n".join(link.council.name for link in roles if link.role == role)
    if name == "partners_text":
        return "\n".join(study.partners)
    if name in {"reform_types", "themes"}:
        return "\n".join(sorted(term.name for term in getattr(study, name).all()))
    if name in {"status", "evidence_level"}:
        return getattr(study, f"get_{name}_display")() if getattr(study, name) else ""
    if name == "started":
        return study.started_display if study.started_year else ""
    value = getattr(study, name)
    if name in MONEY:
        return "" if value is None else f"£{value:,}"
    return value or ""


def answers(study: CaseStudy, topic: Topic) -> list[Answer]:
    """Each question of the topic, as its page asks it, and what is saved."""
    return [
        Answer(str(CaseStudyForm.base_fields[name].label).removesuffix(" (optional)"), _text(study, name))
        for name in topic.form_fields
    ]
