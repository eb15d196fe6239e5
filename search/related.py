"""Related reforms: other published case studies that share reform types,
themes or wording with one case study, best first.

Worked out when a case study is indexed (published, edited, re-indexed), by a
task on the worker, and stored (search.models.RelatedReform): a case study page
reads its list in one query instead of running a ranked search on every view.
When a case study changes, the lists that name it and the lists of those it now
names are worked out again too, so a neighbour's change reaches them. A list is
always read through ``published()``, so a case study that stops being public
leaves every list at once, before its neighbours are worked out again.

The score: REFORM_TYPE_POINTS for each shared reform type, THEME_POINTS for
each shared theme, and WORDING_POINTS for the few case studies that best match
the words of the title; ties go to the newer case study (the higher id)."""

from collections import defaultdict
from itertools import islice

import numpy
from django.db import connection, transaction
from django.db.models import QuerySet
from django.tasks import task

from casestudies.models import CaseStudy, PublicationState
from search.engine import search
from search.models import RelatedReform
from search.query import STOP_WORDS

REFORM_TYPE_POINTS = 3
THEME_POINTS = 2
WORDING_POINTS = [3, 2, 2, 1, 1, 1]  # for the best few matches on the title's words
LIMIT = 5
# The final five are the wording matches and the best others by shared terms:
# this many by shared terms are enough, whichever of them the wording also names.
BY_TERMS = LIMIT + len(WORDING_POINTS)


def stored_related(study: CaseStudy) -> QuerySet:
    """A case study's related reforms as stored, public ones only, best first (one query)."""
    return (
        CaseStudy.objects.published()
        .filter(related_to__case_study=study)
        .order_by("related_to__position")
        .only("title", "slug")
    )


def related_ids(study: CaseStudy) -> list[int]:
    """Work out one case study's related reforms now (a few queries, none over every case study's text)."""
    terms = _terms_of([study.pk])
    types, themes = terms.get(study.pk, (frozenset(), frozenset()))
    by_terms = _best_by_terms(study.pk, types, themes)
    wording = _by_wording(study.pk, study.title, {})
    terms.update(_terms_of([pk for pk in wording if pk not in terms]))
    shared = {pk: _points(types, themes, *terms.get(pk, (frozenset(), frozenset()))) for pk in wording}
    return _combine(dict(by_terms), wording, shared)


def _combine(by_terms: dict[int, int], wording: list[int], shared: dict[int, int]) -> list[int]:
    scores = dict(by_terms)
    for points, pk in zip(WORDING_POINTS, wording, strict=False):
        scores[pk] = shared.get(pk, 0) + points
    return sorted(scores, key=lambda pk: (-scores[pk], -pk))[:LIMIT]


def _points(types, themes, other_types, other_themes) -> int:
    return REFORM_TYPE_POINTS * len(types & other_types) + THEME_POINTS * len(themes & other_themes)


def title_words(title: str) -> str:
    return " or ".join(word for word in title.lower().split() if word.isalpha() and word not in STOP_WORDS)


def _by_wording(pk: int, title: str, memo: dict[str, list[int]]) -> list[int]:
    """The best matches for the title's words among the other published case studies."""
    words = title_words(title)
    if not words:
        return []
    if words not in memo:
        found = search(CaseStudy.objects.published(), words).queryset.values_list("pk", flat=True)
        memo[words] = list(found[: len(WORDING_POINTS) + 1])
    return [other for other in memo[words] if other != pk][: len(WORDING_POINTS)]


def _terms_of(pks: list[int]) -> dict[int, tuple[frozenset, frozenset]]:
    types, themes = defaultdict(set), defaultdict(set)
    rows = CaseStudy.reform_types.through.objects.filter(casestudy_id__in=pks)
    for pk, term in rows.values_list("casestudy_id", "reformtype_id"):
        types[pk].add(term)
    rows = CaseStudy.themes.through.objects.filter(casestudy_id__in=pks)
    for pk, term in rows.values_list("casestudy_id", "theme_id"):
        themes[pk].add(term)
    return {pk: (frozenset(types[pk]), frozenset(themes[pk])) for pk in set(types) | set(themes)}


def _best_by_terms(pk: int, types, themes) -> list[tuple[int, int]]:
    """The published case studies sharing the most terms with this one: (id, points), best first."""
    if not types and not themes:
        return []
    type_links = CaseStudy.reform_types.through._meta.db_table
    theme_links = CaseStudy.themes.through._meta.db_table
    parts, params = [], []
    if types:
        parts.append(f"SELECT casestudy_id AS id, {REFORM_TYPE_POINTS} AS points FROM {type_links} "  # noqa: S608
                     f"WHERE reformtype_id IN ({', '.join(['%s'] * len(types))})")  # fmt: skip
        params += sorted(types)
    if themes:
        parts.append(f"SELECT casestudy_id AS id, {THEME_POINTS} AS points FROM {theme_links} "  # noqa: S608
                     f"WHERE theme_id IN ({', '.join(['%s'] * len(themes))})")  # fmt: skip
        params += sorted(themes)
    sql = (
        f"SELECT shared.id, SUM(shared.points) AS score FROM ({' UNION ALL '.join(parts)}) shared "  # noqa: S608
        f"JOIN {CaseStudy._meta.db_table} study ON study.id = shared.id "
        "WHERE study.publication_state = %s AND shared.id <> %s "
        "GROUP BY shared.id ORDER BY score DESC, shared.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, PublicationState.PUBLISHED, pk, BY_TERMS])
        return [(int(other), int(score)) for other, score in cursor.fetchall()]


def store_related(lists: dict[int, list[int]]) -> None:
    with transaction.atomic():
        RelatedReform.objects.filter(case_study_id__in=list(lists)).delete()
        RelatedReform.objects.bulk_create(
            [
                RelatedReform(case_study_id=pk, related_id=other, position=position)
                for pk, others in lists.items()
                for position, other in enumerate(others)
            ],
            batch_size=1000,
        )


@task()
def refresh_related_reforms(*, case_study_ids: list[int]) -> None:
    """Work out again the lists of these case studies and of their neighbours: the
    case studies whose lists name them, and those their new lists name."""
    changed = set(case_study_ids)
    studies = {
        study.pk: study for study in CaseStudy.objects.published().filter(pk__in=changed).only("title")
    }
    lists = {pk: related_ids(study) for pk, study in studies.items()}
    RelatedReform.objects.filter(case_study_id__in=changed - set(studies)).delete()  # no longer public
    naming = set(RelatedReform.objects.filter(related_id__in=changed).values_list("case_study_id", flat=True))
    neighbours = (naming | {other for others in lists.values() for other in others}) - changed
    for study in CaseStudy.objects.published().filter(pk__in=neighbours).only("title"):
        lists[study.pk] = related_ids(study)
    store_related(lists)


def related_changed(ids) -> None:
    """Ask the worker to work out again the lists of these case studies and their neighbours."""
    ids = sorted(set(ids))
    if ids:
        refresh_related_reforms.enqueue(case_study_ids=ids)


# ---------------------------------------------------------------------------
# Every list at once (after a bulk load, or to rebuild)


def rebuild_related_reforms(batch: int = 1000) -> int:
    """Work out every published case study's list, grouping case studies that share
    the same reform types and themes, and the same title words, so the work grows
    with how varied the shelves are rather than with their size squared."""
    titles = dict(CaseStudy.objects.published().values_list("pk", "title"))
    terms = _terms_of(list(titles)) if titles else {}
    blank = (frozenset(), frozenset())
    best = _best_by_terms_for_every_signature({pk: terms.get(pk, blank) for pk in titles})
    memo: dict[str, list[int]] = {}
    done = 0
    pks = iter(sorted(titles))
    while chunk := list(islice(pks, batch)):
        lists = {}
        for pk in chunk:
            types, themes = terms.get(pk, blank)
            by_terms = [(other, score) for other, score in best[(types, themes)] if other != pk][:BY_TERMS]
            wording = _by_wording(pk, titles[pk], memo)
            shared = {other: _points(types, themes, *terms.get(other, blank)) for other in wording}
            lists[pk] = _combine(dict(by_terms), wording, shared)
        store_related(lists)
        done += len(chunk)
    return done


def _best_by_terms_for_every_signature(terms: dict[int, tuple]) -> dict[tuple, list[tuple[int, int]]]:
    """For each distinct (reform types, themes), the BY_TERMS + 1 case studies sharing the most
    points with it: (id, points), best first. Signatures are compared all at once as bit sets."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, signature in terms.items():
        groups[signature].append(pk)
    signatures = list(groups)
    types = _bits([signature[0] for signature in signatures])
    themes = _bits([signature[1] for signature in signatures])
    width = BY_TERMS + 1
    newest = numpy.full((len(signatures), width), -1, dtype=numpy.int64)
    for row, signature in enumerate(signatures):
        pks = sorted(groups[signature], reverse=True)[:width]
        newest[row, : len(pks)] = pks
    best = {}
    for row, signature in enumerate(signatures):
        points = REFORM_TYPE_POINTS * _shared(types, row) + THEME_POINTS * _shared(themes, row)
        best[signature] = _newest_by_points(points, newest, width)
    return best


def _bits(sets: list[frozenset]) -> "numpy.ndarray":
    """Each set of term ids as a row of 64-bit words, one bit per term."""
    position = {term: index for index, term in enumerate(sorted(set().union(*sets)))}
    words = numpy.zeros((len(sets), max(1, -(-len(position) // 64))), dtype=numpy.uint64)
    for row, terms in enumerate(sets):
        for term in terms:
            words[row, position[term] // 64] |= numpy.uint64(1 << (position[term] % 64))
    return words


def _shared(words: "numpy.ndarray", row: int) -> "numpy.ndarray":
    return numpy.bitwise_count(words & words[row]).sum(axis=1, dtype=numpy.int64)


def _newest_by_points(points: "numpy.ndarray", newest: "numpy.ndarray", width: int) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for level in numpy.nonzero(numpy.bincount(points))[0][::-1]:
        if level == 0 or len(found) >= width:
            break
        pks = newest[points == level].ravel()
        pks = pks[pks >= 0]
        need = width - len(found)
        if len(pks) > need:
            pks = numpy.partition(pks, len(pks) - need)[-need:]
        found += [(int(pk), int(level)) for pk in sorted(pks.tolist(), reverse=True)]
    return found
