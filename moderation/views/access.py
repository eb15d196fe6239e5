"""Who may open a case study's pages, asked the same way by every view of a submission."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from casestudies.models import CaseStudy
from casestudies.permissions import can


def case_study_for(request: HttpRequest, pk: int, action: str) -> CaseStudy:
    """The case study, if the person may do ``action`` to it."""
    study = get_object_or_404(
        CaseStudy.objects.with_shelf_relations().prefetch_related("links", "attachments"), pk=pk
    )
    if not can(request.user, action, study):
        if not can(request.user, "view", study):
            # Someone who may not see it learns nothing, not even that the
            # number is taken: the same answer as for a number never used.
            raise Http404
        raise PermissionDenied
    return study


def history(study: CaseStudy):
    return study.history.select_related("actor").order_by("-at", "-id")
