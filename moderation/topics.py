"""The submission form in topics: each is a page of its own, saved as the
officer goes, and one line of the task list. Which public fields each topic
asks for is said here once, by their names in casestudies.fields; the form
fields that ask for them follow from the kind of field."""

from dataclasses import dataclass

from casestudies.fields import Kind, PublicField, Where, fields_in

FORM_FIELDS = {field.name: field for field in fields_in(Where.FORM)}


@dataclass(frozen=True)
class Topic:
    slug: str  # its address: /submissions/<pk>/<slug>/
    title: str
    field_names: tuple[str, ...]  # names in casestudies.fields
    hint: str = ""  # under its line in the task list
    intro: str = ""  # at the top of its page

    @property
    def fields(self) -> tuple[PublicField, ...]:
        return tuple(FORM_FIELDS[name] for name in self.field_names)

    @property
    def form_fields(self) -> tuple[str, ...]:
        return tuple(name for field in self.fields for name in form_names(field))


def form_names(field: PublicField) -> tuple[str, ...]:
    """The submission form's fields asking for a public field."""
    if field.kind is Kind.COUNCILS:
        return ("lead_council", "partner_councils")
    if field.kind is Kind.TEXT_LIST:
        # Typed one a line into a text box of the form's own.
        return (f"{field.attribute}_text",)
    if field.kind is Kind.YEAR_MONTH:
        # One question with a box for the month and one for the year.
        return (field.name,)
    return field.attributes


MARKDOWN = "Write in Markdown: a blank line between paragraphs, a dash at the start of each item in a list."

TOPICS = (
    Topic(
        "about",
        "About the reform",
        ("title", "summary", "councils", "partners"),
        hint="Its title, a summary and the councils and partners behind it",
    ),
    Topic("reform-types", "Reform types and themes", ("reform_types", "themes")),
    Topic("what-you-did", "What you did", ("challenge", "approach"), intro=MARKDOWN),
    Topic(
        "what-happened",
        "What happened",
        ("outcomes", "lessons", "status", "started"),
        hint="Outcomes, lessons, how far the reform has got and when it started",
        intro=MARKDOWN,
    ),
    Topic(
        "evidence-and-money",
        "Evidence and money",
        ("evidence_level", "annual_gbp", "one_off_gbp", "investment_gbp", "notes"),
        hint="Optional",
    ),
    Topic(
        "contact",
        "Contact",
        ("role", "name", "email"),
        hint="Optional: who other councils may ask about the reform",
        intro="Readers write to the contact through this site: the email address is never shown.",
    ),
)
# The first topic starts a case study: it names it and says whose it is.
FIRST = TOPICS[0]
BY_SLUG = {topic.slug: topic for topic in TOPICS}
# Attachments are a topic of the task list with a page of their own, not form fields.
DOCUMENTS = Topic(
    "documents",
    "Documents",
    (),
    hint="Optional: business cases, evaluations and reports, published with the case study",
)
# The order the whole form asks in, for the page that asks everything at once (a proposed edit).
FORM_ORDER = [name for topic in TOPICS for name in topic.form_fields]
