"""Keeping the vectors in step with the case studies: a task on the worker
embeds the case studies that changed, and a rebuild embeds every one.

Only a published case study has a vector; one that stops being public keeps an
empty row (so every process's matrix drops it, see search.vectors) until the
next rebuild. Writing vectors changes the shelf version, which is how the web
processes learn to look again."""

from collections.abc import Callable, Iterable
from itertools import islice

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from casestudies.models import CaseStudy
from casestudies.shelf_version import shelves_changed
from search.embedding import MODEL, embed
from search.models import CaseStudyVector
from search.vectors import to_bytes

BATCH = 500


def text_for(study: CaseStudy) -> str:
    """What a case study's vector is made from: what it says (its search body, the
    sections as plain text, is kept by search.index), not the list of its tags."""
    return "\n".join(part for part in [study.title, study.summary, study.search_body] if part)


def store_vectors(studies: list[CaseStudy], *, gone: Iterable[int] = ()) -> None:
    now = timezone.now()
    rows = [
        CaseStudyVector(case_study_id=study.pk, model=MODEL, vector=to_bytes(vector), changed_at=now)
        for study, vector in zip(studies, embed([text_for(study) for study in studies]), strict=True)
    ]
    CaseStudyVector.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["case_study"],
        update_fields=["model", "vector", "changed_at"],
    )
    CaseStudyVector.objects.filter(case_study__in=list(gone)).exclude(vector=b"").update(
        vector=b"", changed_at=now
    )


@task()
def embed_case_studies(*, case_study_ids: list[int]) -> int:
    """Embed these case studies again (published ones), or empty their vectors (the rest)."""
    ids = set(case_study_ids)
    with transaction.atomic():
        studies = list(
            CaseStudy.objects.published().filter(pk__in=ids).only("title", "summary", "search_body")
        )
        store_vectors(studies, gone=ids - {study.pk for study in studies})
        shelves_changed()
    return len(studies)


def vectors_changed(ids) -> None:
    """Ask the worker to embed these case studies again."""
    ids = sorted(set(ids))
    if ids:
        embed_case_studies.enqueue(case_study_ids=ids)


@task()
def embed_every_case_study() -> int:
    """After a full rebuild of the search index."""
    return rebuild_vectors()


def rebuild_vectors(progress: Callable[[int, int], None] | None = None) -> int:
    """Embed every published case study (progress(done, total) after each batch),
    empty the vectors of the rest and drop those of another model."""
    published = CaseStudy.objects.published().only("title", "summary", "search_body").order_by("pk")
    total, done = published.count(), 0
    if progress:
        progress(0, total)
    iterator = published.iterator(chunk_size=BATCH)
    while batch := list(islice(iterator, BATCH)):
        with transaction.atomic():
            store_vectors(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    with transaction.atomic():
        CaseStudyVector.objects.exclude(model=MODEL).delete()
        public = CaseStudy.objects.published().values("pk")
        CaseStudyVector.objects.exclude(case_study__in=public).exclude(vector=b"").update(
            vector=b"", changed_at=timezone.now()
        )
        shelves_changed()
    return done
