from django import forms
from django.contrib import messages
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

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
from councils.models import REGIONS, Council, CouncilType, Nation, normalise_name

PAGE_SIZE = 50
SHOWN = 20  # of the reforms a council led, and of those it joined: the newest; the shelves hold the rest


class DirectoryForm(forms.Form):
    name = forms.CharField(label="Council name", required=False, max_length=200)
    nation = forms.ChoiceField(choices=[("", "All nations"), *Nation.choices], required=False)
    region = forms.ChoiceField(
        choices=[("", "All regions"), *[(region, region) for region in REGIONS]], required=False
    )
    council_type = forms.ChoiceField(
        label="Type", choices=[("", "All types"), *CouncilType.choices], required=False
    )
    include_abolished = forms.BooleanField(label="Include abolished councils", required=False)


@require_safe
@cache_public_page
def council_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    councils = Council.objects.all()
    criteria = form.cleaned_data if form.is_valid() else {}
    if not criteria.get("include_abolished"):
        councils = councils.current()
    if criteria.get("name"):
        key = normalise_name(criteria["name"])
        # By any name it goes by: its own, its official one ("London Borough of
        # Harrow"), the register's other names, or its code.
        councils = councils.filter(
            Q(normalised_name__contains=key)
            | Q(aliases__normalised__contains=key)
            | Q(official_name__icontains=criteria["name"].strip())
            | Q(code__iexact=key)
        ).distinct()
    for field in ("nation", "region", "council_type"):
        if criteria.get(field):
            councils = councils.filter(**{field: criteria[field]})
    # Counted when the shelves change (browse.figures), not for every visitor.
    councils = councils.annotate(
        case_study_count=Coalesce(F("shelf_figures__led") + F("shelf_figures__partnered"), Value(0))
    ).order_by("name")
    page = paginate(request, councils, PAGE_SIZE)
    return render(
        request,
        "browse/council_directory.html",
        {"form": form, "page": page, "pagination": page_links(request, page)},
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
    studies = {study.pk: study for study in CaseStudy.objects.filter(pk__in=led + joined).for_lists()}
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
    request.session["my_council"] = council.code
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
    found = (
        Council.objects.filter(Q(normalised_name__contains=typed) | Q(aliases__normalised__contains=typed))
        .distinct()
        .order_by("end_date", "name")[:10]
    )
    return JsonResponse({"councils": [{"code": c.code, "name": c.name} for c in found]})
