from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from browse.filters import SORTS
from browse.page_cache import cache_public_page
from browse.shelves import browse, explain_likeness, filter_panel
from browse.structured import structured_data
from casestudies.models import EVIDENCE_LEVELS, CaseStudy
from casestudies.permissions import can
from core.pagination import page_links, paginate
from councils.mine import remembered_council
from councils.models import Council
from search.query import MAX_QUERY_LENGTH
from search.related import stored_related

PAGE_SIZE = 20


@require_safe
@vary_on_headers("X-Partial")
@cache_public_page
def case_study_list(request: HttpRequest) -> HttpResponse:
    shelf = browse(request.GET)
    page = paginate(request, shelf.paged(), PAGE_SIZE, count=shelf.count)
    if shelf.likeness:
        explain_likeness(shelf, page.object_list)
    my_council = remembered_council(request.session, request.user)
    context = {
        "shelf": shelf,
        "filter_groups": filter_panel(shelf, request.GET),
        "page": page,
        "pagination": page_links(request, page),
        "sorts": SORTS,
        "my_council": my_council,
        # A search that names a council, by any of its names, also leads to its page.
        "council_match": Council.objects.resolve(shelf.search.query) if shelf.search.query else None,
        "max_query_length": MAX_QUERY_LENGTH,
        "some_match_only_some_words": any(
            getattr(study, "search_all_words", 1) == 0 for study in page.object_list
        ),
    }
    # Scripts ask for just the part of the page that changes.
    template = "browse/list.html#shelf" if request.headers.get("X-Partial") == "shelf" else "browse/list.html"
    return render(request, template, context)


@require_safe
@cache_public_page
def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(
        CaseStudy.objects.published()
        .with_shelf_relations()
        .with_adopters()
        .prefetch_related("links", "attachments"),
        slug=slug,
    )
    return render(
        request,
        "browse/detail.html",
        {
            "study": study,
            "related": stored_related(study),
            "can_propose_edit": can(request.user, "propose_edit", study),
            "adoptions": study.approved_adoptions,
            "structured_data": structured_data(request, study),
            "evidence_levels": EVIDENCE_LEVELS,
        },
    )
