"""CSV export of exactly the case studies being viewed, streamed row by row."""

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from browse.shelves import browse
from casestudies.models import CaseStudy
from opendata.export_limits import claim_export

COLUMNS = [
    "slug", "title", "summary", "url", "lead_council_code", "lead_council", "partner_council_codes",
    "partner_councils", "partner_organisations", "reform_types", "themes", "status", "started",
    "evidence_level", "evidence_verified", "annual_savings_gbp", "one_off_savings_gbp", "investment_gbp",
    "savings_notes", "contact_role", "published_at", "updated_at", "last_confirmed_at", "challenge",
    "approach", "outcomes", "lessons",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row_for(study: CaseStudy, site: str) -> list[str]:
    roles = study.roles_in_order()
    lead = next((link.council for link in roles if link.role == "lead"), None)
    partners = [link.council for link in roles if link.role != "lead"]
    values = [
        study.slug, study.title, study.summary, site + study.get_absolute_url(),
        lead.code if lead else "", lead.name if lead else "",
        "; ".join(c.code for c in partners), "; ".join(c.name for c in partners), "; ".join(study.partners),
        "; ".join(t.slug for t in study.reform_types.all()), "; ".join(t.slug for t in study.themes.all()),
        study.status, study.started_iso, study.evidence_level, "yes" if study.evidence_verified else "no",
        study.annual_savings_gbp, study.one_off_savings_gbp, study.investment_gbp, study.savings_notes,
        study.contact_role, study.published_at.isoformat() if study.published_at else "",
        study.updated_at.isoformat(), study.last_confirmed_at.isoformat() if study.last_confirmed_at else "",
        study.challenge, study.approach, study.outcomes, study.lessons,
    ]  # fmt: skip
    return [neutralise(value) for value in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset, site: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for study in queryset.with_shelf_relations().iterator(chunk_size=500):
        yield writer.writerow(row_for(study, site))


@require_safe
def case_study_csv(request: HttpRequest) -> HttpResponse:
    shelf = browse(request.GET, with_facets=False)
    claim = claim_export(request, shelf.results)  # large exports are limited: see export_limits
    if claim.refusal:
        return claim.refusal
    site = request.build_absolute_uri("/").rstrip("/")
    lines = claim.stream(csv_lines(shelf.results, site))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="showcase-case-studies.csv"'
    return response
