"""CSV export of exactly the case studies being viewed, streamed row by row."""

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from browse.shelves import browse
from casestudies.fields import Kind, Part, PublicField, Where, fields_in, format_year_month
from casestudies.models import CaseStudy
from core.spreadsheets import neutralise
from opendata.export_limits import claim_export

FIELDS = fields_in(Where.CSV)
COUNCIL_COLUMNS = ["lead_council_code", "lead_council", "partner_council_codes", "partner_councils"]
DATES = ["published_at", "updated_at", "last_confirmed_at"]


def _part(part: Part) -> list[PublicField]:
    return [field for field in FIELDS if field.part is part]


def _columns(field: PublicField) -> list[str]:
    return COUNCIL_COLUMNS if field.kind is Kind.COUNCILS else [field.csv_column]


# Each entry a public field (one column or more) or a column about the published
# record. Its name and summary first, the facts a spreadsheet sorts by, the long story last.
LAYOUT: list[PublicField | str] = [
    *_part(Part.IDENTITY),
    "url",
    *_part(Part.FACTS),
    *DATES,
    *_part(Part.STORY),
]
COLUMNS = [name for column in LAYOUT for name in ([column] if isinstance(column, str) else _columns(column))]
# The columns the file reads, and no more: a row holds no search text, no vector and no
# contact's name or address, so neither does the memory that streams it.
_CONCRETE = {field.name for field in CaseStudy._meta.concrete_fields}
READS = sorted(
    {"id", "slug", *DATES} | {name for field in FIELDS for name in field.attributes if name in _CONCRETE}
)


def _councils(study: CaseStudy) -> list[str]:
    roles = study.roles_in_order()
    lead = next((link.council for link in roles if link.role == "lead"), None)
    partners = [link.council for link in roles if link.role != "lead"]
    return [
        lead.code if lead else "",
        lead.name if lead else "",
        "; ".join(council.code for council in partners),
        "; ".join(council.name for council in partners),
    ]


def _cells(field: PublicField, study: CaseStudy) -> list:
    match field.kind:
        case Kind.COUNCILS:
            return _councils(study)
        case Kind.YEAR_MONTH:
            return [format_year_month(*(getattr(study, name) for name in field.attributes))]
        case Kind.TEXT_LIST:
            return ["; ".join(getattr(study, field.attribute))]
        case Kind.VOCABULARY:
            return ["; ".join(term.slug for term in getattr(study, field.attribute).all())]
        case Kind.FLAG:
            return ["yes" if getattr(study, field.attribute) else "no"]
    return [getattr(study, field.attribute)]


def _record_cell(column: str, study: CaseStudy, site: str):
    if column == "url":
        return site + study.get_absolute_url()
    moment = getattr(study, column)
    return moment.isoformat() if moment else ""


def row_for(study: CaseStudy, site: str) -> list[str]:
    values = []
    for column in LAYOUT:
        if isinstance(column, str):
            values.append(_record_cell(column, study, site))
        else:
            values.extend(_cells(column, study))
    return [neutralise(value) for value in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset, site: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for study in queryset.with_shelf_relations().only(*READS).iterator(chunk_size=200):
        yield writer.writerow(row_for(study, site))


@require_safe
def case_study_csv(request: HttpRequest) -> HttpResponse:
    shelf = browse(request.GET, with_facets=False)
    if shelf.errors:
        # A file that quietly held every case study would pass for the one asked for.
        # One line a filter, whatever line breaks the value quoted in its error holds.
        problems = "".join(
            f"{name}: {' '.join(' '.join(errors).split())}\n" for name, errors in shelf.errors.items()
        )
        return HttpResponseBadRequest(
            f"No CSV: these filters could not be used.\n{problems}", content_type="text/plain; charset=utf-8"
        )
    claim = claim_export(request, shelf.results)  # large exports are limited: see export_limits
    if claim.refusal:
        return claim.refusal
    site = request.build_absolute_uri("/").rstrip("/")
    lines = claim.stream(csv_lines(shelf.results, site))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="showcase-case-studies.csv"'
    return response
