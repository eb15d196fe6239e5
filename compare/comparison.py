"""A comparison of two to four published case studies, worked out from the
address alone (``?s=<slug>&s=<slug>``), so that it can be shared and cached.

What the page shows and what the CSV holds are the same rows, each with a
plain-text value per case study: the CSV writes those texts, the page shows
them (richer where a row has links or Markdown), and a row whose texts differ
is marked as differing."""

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from casestudies.models import EVIDENCE_EXPLANATIONS, CaseStudy, CaseStudyCouncil

MIN_STUDIES = 2
MAX_STUDIES = 4
PARAMETER = "s"
# Slugs in this project are ASCII slugs of at most 200 characters.
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
NOT_STATED = "Not stated"


@dataclass
class Choice:
    """What the address asked for, and what of it can be shown."""

    studies: list[CaseStudy] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # why each named study is not shown
    refused: str = ""  # why nothing is shown at all

    @property
    def comparable(self) -> bool:
        return not self.refused and len(self.studies) >= MIN_STUDIES


def shown_slug(slug: str) -> str:
    """A slug as the page quotes it back: short, whatever was typed."""
    return slug if len(slug) <= 60 else slug[:60] + "…"


def choose(data: QueryDict) -> Choice:
    """The published case studies the address names, in its order, and what was left out."""
    choice, slugs = Choice(), []
    for raw in data.getlist(PARAMETER):
        slug = raw.strip()
        if not slug:
            continue
        if slug in slugs:
            choice.left_out.append(f"“{shown_slug(slug)}” was named more than once, so it is shown once.")
            continue
        slugs.append(slug)
    if len(slugs) > MAX_STUDIES:
        choice.refused = (
            f"This address names {len(slugs)} case studies. "
            f"You can compare at most {MAX_STUDIES} at a time: leave some out and try again."
        )
        return choice
    found = {
        study.slug: study
        for study in CaseStudy.objects.published()
        .filter(slug__in=[slug for slug in slugs if SLUG.match(slug)])
        .with_shelf_relations()
    }
    for slug in slugs:
        if slug in found:
            choice.studies.append(found[slug])
        else:
            # The same words for a draft as for a slug nobody used: nothing private leaks.
            choice.left_out.append(
                f"No published case study has the address “{shown_slug(slug)}”, so it is left out."
            )
    return choice


def address_of(studies: list[CaseStudy]) -> str:
    """The comparison's query string, for these case studies in this order."""
    query = QueryDict(mutable=True)
    query.setlist(PARAMETER, [study.slug for study in studies])
    return query.urlencode()


# ---------------------------------------------------------------------------
# The rows


@dataclass
class Row:
    key: str
    label: str
    texts: list[str]  # one plain text per case study: the CSV's cells, and what is compared
    values: list | None = None  # what the template shows, when it is more than the text
    # Long narratives always differ; marking them would hide the rows that matter.
    compared: bool = True

    @property
    def differs(self) -> bool:
        return self.compared and len(set(self.texts)) > 1

    @property
    def cells(self) -> list:
        return list(zip(self.texts, self.values or self.texts, strict=True))


def pounds(amount: int | None) -> str:
    return NOT_STATED if amount is None else f"£{amount:,}"


def payback_years(study: CaseStudy) -> float | None:
    """Years for the recurring saving to repay the cost, where both are stated."""
    if study.investment_gbp is None or not study.annual_savings_gbp:
        return None
    return study.investment_gbp / study.annual_savings_gbp


def payback_text(study: CaseStudy) -> str:
    years = payback_years(study)
    if years is None:
        return NOT_STATED
    if study.investment_gbp == 0:
        return "No cost to repay"
    rounded = f"{years:.1f}".removesuffix(".0")
    return f"{rounded} year{'' if rounded == '1' else 's'}"


def evidence_text(study: CaseStudy) -> str:
    if not study.evidence_level:
        return "Not assessed"
    checked = " (checked by a curator)" if study.evidence_verified else ""
    return f"Level {study.evidence_level} of 5{checked}: {EVIDENCE_EXPLANATIONS[study.evidence_level]}"


def _per_council(study: CaseStudy, describe) -> str:
    return "; ".join(describe(link) for link in study.roles_in_order())


def _council(link: CaseStudyCouncil) -> str:
    return f"{link.council.name} ({link.get_role_display().lower()})"


def _council_type(link: CaseStudyCouncil) -> str:
    return f"{link.council.name}: {link.council.get_council_type_display()}"


def _population(link: CaseStudyCouncil) -> str:
    population = link.council.population
    return f"{link.council.name}: {f'{population:,}' if population else NOT_STATED.lower()}"


def contact_text(study: CaseStudy) -> str:
    """Who can tell more, by role only: messages reach them through the site, never by address."""
    return f"The {study.contact_role}" if study.contact_role else "The team"


def _reform_types(study: CaseStudy) -> str:
    return "; ".join(term.name for term in study.reform_types.all()) or NOT_STATED


def rows_for(studies: list[CaseStudy], contact_urls: list[str]) -> list[Row]:
    """The rows of the comparison, in the order the page and the CSV show them."""

    def each(describe) -> list[str]:
        return [describe(study) for study in studies]

    def money(attribute: str) -> list[str]:
        return [pounds(getattr(study, attribute)) for study in studies]

    def per_council(describe) -> list[str]:
        return [_per_council(study, describe) for study in studies]

    contacts = list(zip(studies, contact_urls, strict=True))
    return [
        Row("councils", "Councils", per_council(_council), [study.roles_in_order() for study in studies]),
        Row("council_type", "Council type", per_council(_council_type)),
        Row("population", "Population", per_council(_population)),
        Row("reform_types", "Reform type", each(_reform_types)),
        Row("status", "Status", each(lambda study: study.get_status_display() or NOT_STATED)),
        Row("started", "Started", each(lambda study: study.started_display)),
        Row("cost", "Cost (investment)", money("investment_gbp")),
        Row("annual_savings", "Recurring savings a year", money("annual_savings_gbp")),
        Row("one_off_savings", "One-off savings", money("one_off_savings_gbp")),
        Row("payback", "Payback (cost ÷ recurring savings)", each(payback_text)),
        Row("evidence", "Strength of evidence", each(evidence_text)),
        Row("outcomes", "What happened", each(lambda study: study.outcomes or NOT_STATED), compared=False),
        Row("lessons", "Lessons learnt", each(lambda study: study.lessons or NOT_STATED), compared=False),
        Row(
            "contact",
            "Talk to the team",
            [f"{contact_text(study)}: {url}" for study, url in contacts],
            [(contact_text(study), url, study.title) for study, url in contacts],
            compared=False,
        ),
    ]
