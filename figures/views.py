from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from browse.page_cache import cache_public_page
from browse.shelves import browse
from figures.charts import FIGURES, all_figures
from figures.counts import matched_case_studies
from figures.downloads import figure_csv


@require_safe
@cache_public_page
def figures_page(request: HttpRequest) -> HttpResponse:
    """The shelf the same query string gives the case study list, in figures."""
    shelf = browse(request.GET, with_facets=False, ranked=False)
    matched = matched_case_studies(shelf)
    context = {
        "shelf": shelf,
        "case_study_count": matched.count(),
        "figures": all_figures(matched),
        "query": request.GET.urlencode(),
    }
    return render(request, "figures/figures.html", context)


@require_safe
@cache_public_page
def figure_download(request: HttpRequest, slug: str) -> HttpResponse:
    build = FIGURES.get(slug)
    if build is None:
        raise Http404("No such figure.")
    figure = build(matched_case_studies(browse(request.GET, with_facets=False, ranked=False)))
    response = HttpResponse(figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="showcase-{slug}.csv"'
    return response
