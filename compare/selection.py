"""The case studies an officer has picked to compare, carried between pages in
their session.

Pages cached for anonymous visitors never show it: a visitor with a session is
never served from the page cache (``browse.page_cache``), so the pages that do
read it (the selection page) are built for them alone."""

from dataclasses import dataclass

from casestudies.models import CaseStudy
from compare.comparison import MAX_STUDIES

SESSION_KEY = "compare"


@dataclass(frozen=True)
class Outcome:
    added: bool
    count: int  # how many are chosen now
    full: bool = False  # nothing was added because MAX_STUDIES are already chosen


def chosen_slugs(session) -> list[str]:
    slugs = session.get(SESSION_KEY, [])
    return [slug for slug in slugs if isinstance(slug, str)][:MAX_STUDIES] if isinstance(slugs, list) else []


def chosen_studies(session) -> list[CaseStudy]:
    """The chosen case studies that are still public, in the order they were chosen."""
    slugs = chosen_slugs(session)
    found = {study.slug: study for study in CaseStudy.objects.published().filter(slug__in=slugs).for_lists()}
    return [found[slug] for slug in slugs if slug in found]


def selection_add(*, session, study: CaseStudy) -> Outcome:
    # A chosen study that has stopped being public no longer takes a place.
    public = set(
        CaseStudy.objects.published().filter(slug__in=chosen_slugs(session)).values_list("slug", flat=True)
    )
    slugs = [slug for slug in chosen_slugs(session) if slug in public]
    if study.slug in slugs:
        return Outcome(added=False, count=len(slugs))
    if len(slugs) >= MAX_STUDIES:
        return Outcome(added=False, count=len(slugs), full=True)
    session[SESSION_KEY] = [*slugs, study.slug]
    return Outcome(added=True, count=len(slugs) + 1)


def selection_remove(*, session, slug: str) -> bool:
    """Leave one case study out; False when it was not chosen."""
    slugs = chosen_slugs(session)
    if slug not in slugs:
        return False
    session[SESSION_KEY] = [chosen for chosen in slugs if chosen != slug]
    return True


def selection_clear(*, session) -> None:
    session.pop(SESSION_KEY, None)
