from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from browse.council_finding import DirectoryForm, find_councils
from browse.page_cache import cache_public_page
from casestudies.models import (
    Adoption,
    AdoptionState,
    CaseStudy,
    CaseStudyCouncil,
    CouncilRole,
    PublicationState,
)
from core.pagination import page_links, paginate
from councils.mine import remember_council
from councils.models import Council, CouncilType, normalise_name
from councils.postcodes import postcodes_available
from councils.succession import current_successors

PAGE_SIZE = 50
# Of the reforms a council led, and of those it joined: the newest, as a page about the council
# shows them; "See every reform" leads to all of them on the shelves, with filters and sorting.
SHOWN = 10


@require_safe
@cache_public_page
def council_directory(request: HttpRequest) -> HttpResponse:
    # Whether the postcode box shows depends on data, not on the visitor: loading
    # postcodes changes the shelf version (browse.receivers), so no cached copy outlives it.
    with_postcodes = postcodes_available()
    form = DirectoryForm(request.GET or None, with_postcodes=with_postcodes)
    found = find_councils(form)
    page = paginate(request, found.councils, PAGE_SIZE)
    return render(
        request,
        "browse/council_directory.html",
        {
            "form": form,
            "page": page,
            "pagination": page_links(request, page),
            "with_postcodes": with_postcodes,
            "replacements": found.replacements,
            "postcode": found.postcode,
        },
    )


@require_safe
@cache_public_page
def council_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.lower():
        return redirect("councils:detail", code=code.lower(), permanent=True)
    try:
        council = (
            Council.objects.select_related("county", "combined_authority", "shelf_figures")
            .prefetch_related("replaced_by", "predecessors", "aliases")
            .get(code=code.upper())
        )
    except Council.DoesNotExist:
        raise Http404("No council has that register code.") from None
    led, partnered = newest_of(council)
    adopted = list(
        Adoption.objects.filter(
            council=council, state=AdoptionState.APPROVED, case_study__publication_state="published"
        )
        .select_related("case_study")
        .order_by("-adopted_year", "-adopted_month")
    )
    below = (
        council.districts.current() if council.council_type == CouncilType.COUNTY else Council.objects.none()
    )
    members = (
        council.constituent_councils.current()
        if council.council_type == CouncilType.COMBINED_AUTHORITY
        else Council.objects.none()
    )
    return render(
        request,
        "browse/council_detail.html",
        {
            "council": council,
            "led": led,
            "partnered": partnered,
            "figures": getattr(council, "shelf_figures", None),
            "shown": SHOWN,
            "adopted": adopted,
            "successors": list(council.replaced_by.all()),
            "predecessors": list(council.predecessors.all()),
            "districts": list(below),
            "members": list(members),
        },
    )


def newest_of(council: Council) -> tuple[list, list]:
    """The newest SHOWN published case studies the council led, and those it joined as a partner."""
    links = CaseStudyCouncil.objects.filter(
        council=council, case_study__publication_state=PublicationState.PUBLISHED
    ).order_by("-case_study__published_at", "-case_study_id")
    led = list(links.filter(role=CouncilRole.LEAD).values_list("case_study_id", flat=True)[:SHOWN])
    joined = list(links.exclude(role=CouncilRole.LEAD).values_list("case_study_id", flat=True)[:SHOWN])
    shown = CaseStudy.objects.filter(pk__in=led + joined).for_lists(terms=("reform_types",))
    studies = {study.pk: study for study in shown}
    return [studies[pk] for pk in led if pk in studies], [studies[pk] for pk in joined if pk in studies]


@require_POST
def choose_my_council(request: HttpRequest) -> HttpResponse:
    """Remember the officer's own council for this session, then show reforms from councils like it."""
    typed = request.POST.get("council", "")[:200]
    council = Council.objects.resolve(typed) if typed.strip() else None
    if council is None:
        messages.error(
            request, f"No council is called “{typed}”. Type part of its name or its register code."
        )
        return redirect("casestudies:list")
    remember_council(request.session, council)
    # Keep the search and filters the officer had, with "like" theirs.
    kept = QueryDict(request.POST.get("query", "")[:1000], mutable=True)
    for name in ("like", "page"):
        kept.pop(name, None)
    kept["like"] = council.code.lower()
    return redirect(f"{reverse('casestudies:list')}?{kept.urlencode()}")


@require_safe
def council_autocomplete(request: HttpRequest) -> JsonResponse:
    """Names for the council box, as people type them; current councils first."""
    typed = normalise_name(request.GET.get("q", "")[:100])
    if len(typed) < 2:
        return JsonResponse({"councils": []})
    found = list(
        Council.objects.filter(Q(normalised_name__contains=typed) | Q(aliases__normalised__contains=typed))
        .distinct()
        .order_by("end_date", "name")
        .prefetch_related("replaced_by")[:10]
    )
    # A council that no longer exists says which councils serve its area now.
    successors = current_successors([council for council in found if not council.is_current])
    offered = [{"code": council.code, "name": council.name} for council in found]
    for entry, council in zip(offered, found, strict=True):
        if successors.get(council.pk):
            entry["replaced_by"] = [successor.name for successor in successors[council.pk]]
    return JsonResponse({"councils": offered})
