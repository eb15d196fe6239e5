from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from browse.page_cache import cache_public_page
from browse.shelves import browse
from maps.outline import outline
from maps.placing import LEGEND, councils_behind
from maps.projection import view_box

# How results are shown on the list, which the map does not use.
NOT_MATCHING = ("page", "sort")


@require_safe
@cache_public_page
def council_map(request: HttpRequest) -> HttpResponse:
    """The councils behind the case studies a query string matches, the same
    query string as the case study list's, on a map and in a list beside it."""
    shelf = browse(request.GET, with_facets=False, ranked=False)
    studies = shelf.search.narrow(shelf.applied.qs)
    councils = councils_behind(studies)
    matching = _matching(shelf.data)
    list_url = reverse("casestudies:list")
    for entry in councils:
        entry.list_url = f"{list_url}?{_with_council(matching, entry.council.code).urlencode()}"
    context = {
        "shelf": shelf,
        "councils": councils,
        "placed": [entry for entry in councils if entry.point is not None],
        "unplaced": [entry for entry in councils if entry.point is None],
        "study_count": studies.count(),
        "outline": outline(),
        "view_box": view_box(),
        "legend": LEGEND,
        "list_query": request.GET.urlencode(),
        # A tile server for a script to draw under the map, off unless set (see README).
        "map_tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "maps/map.html", context)


def _matching(data: QueryDict | None) -> QueryDict:
    kept = data.copy() if data is not None else QueryDict(mutable=True)
    for name in NOT_MATCHING:
        kept.pop(name, None)
    return kept


def _with_council(data: QueryDict, code: str) -> QueryDict:
    chosen = data.copy()
    chosen["council"] = code.lower()
    return chosen
