"""Site-wide pieces of the open data API: pagination and the root."""

from django.db import DatabaseError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from casestudies.models import ReformType, Theme
from councils.models import Council

LICENCES = {
    "case_studies": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    "council_register": {
        "name": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "mySociety, UK Local Authority Names and Codes",
    },
}


class AbsoluteLinks:
    """For serializers: a path on this site as a full address, when there is a request."""

    def absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request: Request) -> Response:
    return Response(
        {
            "case_studies": reverse("api:case-study-list", request=request),
            "councils": reverse("api:council-list", request=request),
            "reform_types": reverse("api:reform-type-list", request=request),
            "themes": reverse("api:theme-list", request=request),
            "collections": reverse("api:collection-list", request=request),
            "schema": reverse("api-schema", request=request),
            "documentation": reverse("api-docs", request=request),
            "licences": LICENCES,
        }
    )


def add_live_enums(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: list the vocabulary slugs and council codes that
    exist now, so that the schema says exactly which values are valid."""
    try:
        live = {
            "reform_type": sorted(ReformType.objects.values_list("slug", flat=True)),
            "theme": sorted(Theme.objects.values_list("slug", flat=True)),
            "council": sorted(Council.objects.values_list("code", flat=True)),
        }
    except DatabaseError:
        return result
    live["like"] = live["council"]
    for parameter in result["paths"].get("/api/v1/case-studies/", {}).get("get", {}).get("parameters", []):
        values = live.get(parameter["name"])
        if not values:  # an empty enum is not valid OpenAPI; say nothing instead
            continue
        target = parameter["schema"].get("items", parameter["schema"])
        target["enum"] = values
    return result
