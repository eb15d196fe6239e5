"""Figures about the shelves: how many case studies there are, from how many
councils, by reform type and by service area (the home page), and how many each
council led or joined (the council directory and council pages).

Counting them reads every published case study, so no page does: a task counts
them whenever search documents are rebuilt (a case study published, edited,
archived or deleted) and stores them (browse.models). Pages read one row, and
the shelf version is replaced when the figures change, so no cached page keeps
the old ones."""

from django.db import transaction
from django.db.models import Count, Q
from django.tasks import task

from browse.models import CouncilFigures, ShelfSummary
from casestudies.models import CaseStudy, CaseStudyCouncil, CouncilRole, PublicationState, ReformType, Theme
from casestudies.shelf_version import shelves_changed

PUBLISHED = PublicationState.PUBLISHED
SUMMARY = 1  # the one row


def count_summary() -> dict:
    published_links = CaseStudyCouncil.objects.filter(case_study__publication_state=PUBLISHED)
    return {
        "case_studies": CaseStudy.objects.published().count(),
        "councils": published_links.values("council_id").distinct().count(),
        "by_reform_type": _per_term(CaseStudy.reform_types.through, "reformtype__slug"),
        "by_theme": _per_term(CaseStudy.themes.through, "theme__slug"),
    }


def _per_term(through, slug: str) -> dict[str, int]:
    rows = through.objects.filter(casestudy__publication_state=PUBLISHED).values(slug).annotate(n=Count("pk"))
    return {row[slug]: row["n"] for row in rows}


def count_councils() -> dict[int, tuple[int, int]]:
    rows = (
        CaseStudyCouncil.objects.filter(case_study__publication_state=PUBLISHED)
        .values("council_id")
        .annotate(
            led=Count("pk", filter=Q(role=CouncilRole.LEAD)),
            partnered=Count("pk", filter=~Q(role=CouncilRole.LEAD)),
        )
    )
    return {row["council_id"]: (row["led"], row["partnered"]) for row in rows}


def store_figures() -> bool:
    """Count the figures again; store them, and replace the shelf version, if they changed."""
    summary = count_summary()
    councils = count_councils()
    with transaction.atomic():
        before = ShelfSummary.objects.filter(pk=SUMMARY).values(*summary).first()
        stored = {
            pk: (led, partnered)
            for pk, led, partnered in CouncilFigures.objects.values_list("council_id", "led", "partnered")
        }
        if before == summary and stored == councils:
            return False
        ShelfSummary.objects.update_or_create(pk=SUMMARY, defaults=summary)
        CouncilFigures.objects.all().delete()
        CouncilFigures.objects.bulk_create(
            [
                CouncilFigures(council_id=pk, led=led, partnered=partnered)
                for pk, (led, partnered) in councils.items()
            ],
            batch_size=1000,
        )
        shelves_changed()
    return True


@task()
def refresh_shelf_figures() -> None:
    store_figures()


def figures_changed() -> None:
    refresh_shelf_figures.enqueue()


def home_figures() -> dict:
    """What the home page shows, in three small queries: the stored summary, and the
    vocabularies each with its count, most used first."""
    summary = ShelfSummary.objects.filter(pk=SUMMARY).first() or ShelfSummary(**count_summary())
    return {
        "case_study_count": summary.case_studies,
        "council_count": summary.councils,
        "reform_types": _with_counts(ReformType.objects.all(), summary.by_reform_type),
        "themes": _with_counts(Theme.objects.all(), summary.by_theme),
    }


def _with_counts(terms, counts: dict[str, int]) -> list:
    terms = list(terms)
    for term in terms:
        term.published_count = counts.get(term.slug, 0)
    return sorted(terms, key=lambda term: (-term.published_count, term.name))
