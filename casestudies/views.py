from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from casestudies.filters import CaseStudyFilter
from casestudies.models import EVIDENCE_EXPLANATIONS, CaseStudy, EvidenceLevel
from showcase.pagination import page_links, paginate

PAGE_SIZE = 20


@require_safe
def case_study_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    results = filterset.qs if filterset.is_valid() else CaseStudy.objects.none()
    page = paginate(request, results.with_shelf_relations().order_by("-published_at", "-id"), PAGE_SIZE)
    return render(
        request,
        "casestudies/list.html",
        {"filterset": filterset, "page": page, "pagination": page_links(request, page)},
    )


@require_safe
def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(
        CaseStudy.objects.published().with_shelf_relations().prefetch_related("links"), slug=slug
    )
    return render(
        request,
        "casestudies/detail.html",
        {
            "study": study,
            "evidence_levels": [
                (level, label, EVIDENCE_EXPLANATIONS[level]) for level, label in EvidenceLevel.choices
            ],
        },
    )
