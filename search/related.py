"""Related reforms: other published case studies that share reform types,
themes or wording with one case study, best first."""

from django.db.models import Count, Q

from casestudies.models import CaseStudy
from search.engine import search
from search.query import STOP_WORDS

REFORM_TYPE_POINTS = 3
THEME_POINTS = 2
WORDING_POINTS = [3, 2, 2, 1, 1, 1]  # for the best few matches on the title's words


def related_case_studies(study: CaseStudy, limit: int = 5) -> list[CaseStudy]:
    published = CaseStudy.objects.published().exclude(pk=study.pk)
    reform_types = [term.pk for term in study.reform_types.all()]
    themes = [term.pk for term in study.themes.all()]
    scores: dict[int, int] = {}
    shared = (
        published.filter(Q(reform_types__in=reform_types) | Q(themes__in=themes))
        .annotate(
            shared_types=Count("reform_types", filter=Q(reform_types__in=reform_types), distinct=True),
            shared_themes=Count("themes", filter=Q(themes__in=themes), distinct=True),
        )
        .values_list("pk", "shared_types", "shared_themes")
    )
    for pk, shared_types, shared_themes in shared:
        scores[pk] = REFORM_TYPE_POINTS * shared_types + THEME_POINTS * shared_themes
    words = " or ".join(
        word for word in study.title.lower().split() if word.isalpha() and word not in STOP_WORDS
    )
    if words:
        for points, pk in zip(
            WORDING_POINTS, search(published, words).queryset.values_list("pk", flat=True), strict=False
        ):
            scores[pk] = scores.get(pk, 0) + points
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    found = {item.pk: item for item in published.filter(pk__in=best).with_shelf_relations()}
    return [found[pk] for pk in best if pk in found]
