"""What a case study says, field by field, so two versions can be compared:
a proposed edit against the published page, or a save against one made
meanwhile by someone else."""

from dataclasses import dataclass

from casestudies.models import CaseStudy, CouncilRole, DeliveryStatus, EvidenceLevel

TEXT_FIELDS = [
    ("title", "Title"),
    ("summary", "Summary"),
    ("challenge", "The challenge"),
    ("approach", "What they did"),
    ("outcomes", "What happened"),
    ("lessons", "Lessons learnt"),
]
MONEY_FIELDS = [
    ("annual_savings_gbp", "Recurring savings a year (£)"),
    ("one_off_savings_gbp", "One-off savings (£)"),
    ("investment_gbp", "Investment (£)"),
]
CONTACT_FIELDS = [
    ("savings_notes", "Notes on the money"),
    ("contact_role", "Contact's role"),
    ("contact_name", "Contact's name"),
    ("contact_email", "Contact's email"),
]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _common(get) -> dict[str, str]:
    values = {label: _text(get(name)) for name, label in TEXT_FIELDS}
    status = get("status")
    values["Status"] = DeliveryStatus(status).label if status else ""
    values["Year started"] = _text(get("started_year"))
    values["Month started"] = _text(get("started_month"))
    level = get("evidence_level")
    values["Strength of evidence"] = EvidenceLevel(int(level)).label if level else ""
    values.update({label: _text(get(name)) for name, label in MONEY_FIELDS + CONTACT_FIELDS})
    return values


def study_values(study: CaseStudy) -> dict[str, str]:
    """A saved case study as labelled text."""
    values = _common(lambda name: getattr(study, name))
    roles = study.roles_in_order()
    values["Lead council"] = next((r.council.name for r in roles if r.role == CouncilRole.LEAD), "")
    values["Partner councils"] = "\n".join(r.council.name for r in roles if r.role == CouncilRole.PARTNER)
    values["Partner organisations"] = "\n".join(study.partners)
    values["Reform types"] = "\n".join(sorted(t.name for t in study.reform_types.all()))
    values["Themes"] = "\n".join(sorted(t.name for t in study.themes.all()))
    return values


def form_values(cleaned: dict) -> dict[str, str]:
    """What a valid CaseStudyForm would save, as labelled text."""
    values = _common(cleaned.get)
    lead = cleaned.get("lead_council")
    values["Lead council"] = lead.name if lead else ""
    values["Partner councils"] = "\n".join(
        sorted(c.name for c in cleaned.get("partner_councils", []) if not lead or c.pk != lead.pk)
    )
    values["Partner organisations"] = "\n".join(
        line.strip() for line in cleaned.get("partners_text", "").splitlines() if line.strip()
    )
    values["Reform types"] = "\n".join(sorted(t.name for t in cleaned.get("reform_types", [])))
    values["Themes"] = "\n".join(sorted(t.name for t in cleaned.get("themes", [])))
    return values


def compare(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    """The fields that differ, in the order the form asks for them."""
    return [
        FieldChange(label, before.get(label, ""), after.get(label, ""))
        for label in after
        if before.get(label, "") != after.get(label, "")
    ]
