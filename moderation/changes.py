"""What a case study says, field by field, so two versions can be compared:
a proposed edit against the published page, or a save against one made
meanwhile by someone else. The fields are the form's, from casestudies.fields."""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from casestudies.fields import Kind, PublicField, Where, fields_in
from casestudies.models import CaseStudy, CouncilRole

FIELDS = fields_in(Where.FORM)
# One value each, compared first; then what is a list (councils, partners, vocabularies).
SINGLE_FIELDS = [
    field for field in FIELDS if field.kind not in {Kind.COUNCILS, Kind.TEXT_LIST, Kind.VOCABULARY}
]
LIST_FIELDS = [field for field in FIELDS if field not in SINGLE_FIELDS]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(attribute: str, value) -> str:
    if value in (None, ""):
        return ""
    labels = {str(choice): label for choice, label in CaseStudy._meta.get_field(attribute).flatchoices}
    return labels[str(value)]


def _single(field: PublicField, get: Callable[[str], object]) -> dict[str, str]:
    if field.kind is Kind.YEAR_MONTH:
        year, month = field.attributes
        return {
            f"Year {field.label.lower()}": _text(get(year)),
            f"Month {field.label.lower()}": _text(get(month)),
        }
    if field.kind in {Kind.CHOICE, Kind.LEVEL}:
        return {field.label: _choice(field.attribute, get(field.attribute))}
    return {field.label: _text(get(field.attribute))}


def _singles(get: Callable[[str], object], fields: Collection[PublicField] = FIELDS) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in SINGLE_FIELDS:
        if field in fields:
            values.update(_single(field, get))
    return values


def study_values(study: CaseStudy) -> dict[str, str]:
    """A saved case study as labelled text."""
    values = _singles(lambda name: getattr(study, name))
    for field in LIST_FIELDS:
        if field.kind is Kind.COUNCILS:
            roles = study.roles_in_order()
            values["Lead council"] = next((r.council.name for r in roles if r.role == CouncilRole.LEAD), "")
            values["Partner councils"] = "\n".join(
                r.council.name for r in roles if r.role == CouncilRole.PARTNER
            )
        elif field.kind is Kind.TEXT_LIST:
            values[field.label] = "\n".join(getattr(study, field.attribute))
        else:
            values[field.label] = "\n".join(sorted(t.name for t in getattr(study, field.attribute).all()))
    return values


def form_values(cleaned: dict, fields: Collection[PublicField] = FIELDS) -> dict[str, str]:
    """What a valid CaseStudyForm would save, as labelled text: of every field,
    or of ``fields`` only (the topic a page asks about)."""
    values = _singles(cleaned.get, fields)
    for field in LIST_FIELDS:
        if field not in fields:
            continue
        if field.kind is Kind.COUNCILS:
            lead = cleaned.get("lead_council")
            values["Lead council"] = lead.name if lead else ""
            values["Partner councils"] = "\n".join(
                sorted(c.name for c in cleaned.get("partner_councils", []) if not lead or c.pk != lead.pk)
            )
        elif field.kind is Kind.TEXT_LIST:
            lines = cleaned.get("partners_text", "").splitlines()
            values[field.label] = "\n".join(line.strip() for line in lines if line.strip())
        else:
            values[field.label] = "\n".join(sorted(t.name for t in cleaned.get(field.attribute, [])))
    return values


def compare(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    """The fields that differ, in the order the form asks for them."""
    return [
        FieldChange(label, before.get(label, ""), after.get(label, ""))
        for label in after
        if before.get(label, "") != after.get(label, "")
    ]
