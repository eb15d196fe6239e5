from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularSwaggerSplitView

from browse.shelves import browse


@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    """What the CSV holds, its licence, and a link for the results being viewed:
    the filters the list could use, naming any it could not (the file itself
    refuses those, rather than hold more than was asked for)."""
    shelf = browse(request.GET, with_facets=False)
    left_out = [
        (shelf.filterset.form.fields[name].label or name, " ".join(errors))
        for name, errors in shelf.errors.items()
    ]
    return render(
        request,
        "opendata/export.html",
        {"query": shelf.data.urlencode(), "count": shelf.results.count(), "left_out": left_out},
    )


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API described in plain HTML from its own OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "type": parameter.get("schema", {}).get("type", ""),
                            "enum": parameter.get("schema", {}).get("enum")
                            or parameter.get("schema", {}).get("items", {}).get("enum"),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                }
            )
    return render(request, "opendata/api.html", {"endpoints": endpoints, "info": schema["info"]})


def api_explorer(request: HttpRequest) -> HttpResponse:
    """Swagger UI from the drf-spectacular-sidecar package (no CDN). Swagger UI sets
    inline styles, so this one page allows them; scripts stay nonce-only."""
    policy = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    view = csp_override(policy)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
    return view(request)
