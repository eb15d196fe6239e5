"""A case study's public fields, each stated once.

The interchange file, the API, the CSV, the submission form and the comparison
of two versions all take from this table which fields they carry, in what
order and under which names. Lengths and choices stay the model fields' own:
whoever needs them reads them from the field named in ``attributes``.

What belongs to a published record rather than to the case study (its address,
when it was published, its adopters) is added by each output itself.
"""

import datetime
import re
from dataclasses import dataclass
from enum import Flag, StrEnum, auto


class Kind(StrEnum):
    SLUG = "slug"
    TEXT = "text"  # plain text
    MARKDOWN = "markdown"  # rendered by casestudies.richtext
    CHOICE = "choice"  # one of the model field's choices
    LEVEL = "level"  # one of the model field's numbered choices, or none
    FLAG = "flag"
    YEAR_MONTH = "year-month"  # a year, and perhaps a month: "YYYY" or "YYYY-MM"
    DATE = "date"  # a day, or a month standing for its first day: "YYYY-MM-DD" or "YYYY-MM"
    MONEY = "money"  # whole pounds, 0 or more, or none
    EMAIL = "email"
    TEXT_LIST = "list"  # short texts, one per item
    VOCABULARY = "vocabulary"  # slugs of curated terms
    COUNCILS = "councils"  # register codes and roles, the lead council first
    LINKS = "links"  # titled web addresses

    @property
    def is_relation(self) -> bool:
        """Held in rows of their own rather than in the case study's columns."""
        return self in {Kind.VOCABULARY, Kind.COUNCILS, Kind.LINKS}


class Part(StrEnum):
    IDENTITY = "identity"  # what it is called and what it says in a sentence
    STORY = "story"  # the long sections a reader comes for
    FACTS = "facts"  # who, what, when, how well, how much


class Where(Flag):
    FILE = auto()  # the interchange file: private, so the contact's email too
    API = auto()
    CSV = auto()
    FORM = auto()  # the submission form, and comparing two versions of a case study


EVERYWHERE = Where.FILE | Where.API | Where.CSV | Where.FORM
SAVINGS = "savings"
CONTACT = "contact"


@dataclass(frozen=True)
class PublicField:
    name: str  # its key in the file and the API (inside ``group`` when there is one)
    label: str  # as people read it
    kind: Kind
    part: Part = Part.FACTS
    attributes: tuple[str, ...] = ()  # the model attributes holding it; by default its name
    group: str = ""  # the object it sits in, in the file and the API
    required: bool = False  # every published record has it: a file without it is refused
    where: Where = EVERYWHERE
    column: str = ""  # its CSV column, when that is not its attribute's name
    description: str = ""  # for the API's documentation

    def __post_init__(self) -> None:
        if not self.attributes:
            object.__setattr__(self, "attributes", (self.name,))

    @property
    def attribute(self) -> str:
        (attribute,) = self.attributes
        return attribute

    @property
    def key(self) -> str:
        """Its key at the top of a record: its own name, or its group's."""
        return self.group or self.name

    @property
    def csv_column(self) -> str:
        return self.column or (self.attributes[0] if len(self.attributes) == 1 else self.name)


def _saving(name: str, label: str, attribute: str, kind: Kind = Kind.MONEY) -> PublicField:
    return PublicField(name, label, kind, attributes=(attribute,), group=SAVINGS)


def _contact(name: str, label: str, kind: Kind, where: Where) -> PublicField:
    return PublicField(name, label, kind, attributes=(f"contact_{name}",), group=CONTACT, where=where)


FIELDS = (
    PublicField(
        "slug", "Slug", Kind.SLUG, Part.IDENTITY, required=True, where=Where.FILE | Where.API | Where.CSV
    ),
    PublicField("title", "Title", Kind.TEXT, Part.IDENTITY, required=True),
    PublicField("summary", "Summary", Kind.TEXT, Part.IDENTITY, required=True),
    PublicField("challenge", "The challenge", Kind.MARKDOWN, Part.STORY),
    PublicField("approach", "What they did", Kind.MARKDOWN, Part.STORY),
    PublicField("outcomes", "What happened", Kind.MARKDOWN, Part.STORY),
    PublicField("lessons", "Lessons learnt", Kind.MARKDOWN, Part.STORY),
    PublicField("councils", "Councils", Kind.COUNCILS, required=True),
    PublicField("partners", "Partner organisations", Kind.TEXT_LIST, column="partner_organisations"),
    PublicField("reform_types", "Reform types", Kind.VOCABULARY),
    PublicField("themes", "Themes", Kind.VOCABULARY),
    PublicField("status", "Status", Kind.CHOICE, required=True),
    PublicField(
        "started",
        "Started",
        Kind.YEAR_MONTH,
        attributes=("started_year", "started_month"),
        required=True,
        description="YYYY or YYYY-MM.",
    ),
    PublicField(
        "evidence_level",
        "Strength of evidence",
        Kind.LEVEL,
        description="Nesta Standards of Evidence, 1 to 5.",
    ),
    PublicField("evidence_verified", "Evidence checked by a curator", Kind.FLAG, where=Where.API | Where.CSV),
    _saving("annual_gbp", "Recurring savings a year (£)", "annual_savings_gbp"),
    _saving("one_off_gbp", "One-off savings (£)", "one_off_savings_gbp"),
    _saving("investment_gbp", "Investment (£)", "investment_gbp"),
    _saving("notes", "Notes on the money", "savings_notes", Kind.TEXT),
    _contact("role", "Contact's role", Kind.TEXT, EVERYWHERE),
    _contact("name", "Contact's name", Kind.TEXT, Where.FILE | Where.API | Where.FORM),
    # Never published: messages reach the contact through the site.
    _contact("email", "Contact's email", Kind.EMAIL, Where.FILE | Where.FORM),
    PublicField("links", "Links", Kind.LINKS, where=Where.FILE | Where.API),
    PublicField(
        "last_confirmed",
        "Last confirmed accurate",
        Kind.DATE,
        attributes=("last_confirmed_at",),
        where=Where.FILE,
        description="YYYY-MM-DD or YYYY-MM: the date of the source the record rests on, or of the "
        "team's last confirmation; none when nobody has confirmed it.",
    ),
)


def fields_in(where: Where) -> tuple[PublicField, ...]:
    return tuple(field for field in FIELDS if where in field.where)


def by_key(fields: tuple[PublicField, ...]) -> dict[str, list[PublicField]]:
    """The keys at the top of a record, in order, each with the fields under it."""
    keys: dict[str, list[PublicField]] = {}
    for field in fields:
        keys.setdefault(field.key, []).append(field)
    return keys


YEARS = range(1900, 2101)
YEAR_MONTH_PATTERN = r"^([0-9]{4})(?:-([0-9]{2}))?$"


def format_year_month(year: int | None, month: int | None) -> str:
    """ "YYYY" or "YYYY-MM"; empty when there is no year."""
    if not year:
        return ""
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


DATE_PATTERN = r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$"


def format_date(day: datetime.date | None) -> str | None:
    """ "YYYY-MM-DD", or "YYYY-MM" for the first of a month, so that either form reads back the same."""
    if day is None:
        return None
    return day.strftime("%Y-%m") if day.day == 1 else day.isoformat()


def parse_date(text: str) -> datetime.date:
    """The day "YYYY-MM-DD" names, or the first of the month "YYYY-MM" names.

    ValueError says what is wrong."""
    match = re.match(DATE_PATTERN, text)
    if not match:
        raise ValueError('expected "YYYY-MM-DD" or "YYYY-MM"')
    year, month, day = (int(part) if part else 1 for part in match.groups())
    if year not in YEARS:
        raise ValueError(f"the year must be between {YEARS.start} and {YEARS.stop - 1}")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError("there is no such day") from None


def parse_year_month(text: str) -> tuple[int, int | None]:
    """The year and month of "YYYY" or "YYYY-MM"; ValueError says what is wrong."""
    match = re.match(YEAR_MONTH_PATTERN, text)
    if not match:
        raise ValueError('expected "YYYY" or "YYYY-MM"')
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    if year not in YEARS:
        raise ValueError(f"the year must be between {YEARS.start} and {YEARS.stop - 1}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError("the month must be 01 to 12")
    return year, month
