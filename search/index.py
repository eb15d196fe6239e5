"""Keeping the search documents in step with the case studies."""

import html
import re
from collections import Counter
from itertools import islice

import nh3
from django.db import transaction

from casestudies.models import CaseStudy
from casestudies.richtext import render_markdown
from casestudies.shelf_version import shelves_changed
from search.backends import backend as _backend
from search.models import SearchWord
from search.query import STOP_WORDS, _words


def document_for(study) -> tuple[str, str]:
    """The tags (councils current and former with their aliases, vocabulary,
    partners) and the body (the sections as plain text) a case study is searched by."""
    names: list[str] = []
    for link in study.council_roles.all():
        council = link.council
        names += [council.name, council.official_name, council.nation, council.region]
        names += [alias.name for alias in council.aliases.all()]
        names += [other.name for other in council.predecessors.all()]
        names += [other.name for other in council.replaced_by.all()]
    names += [term.name for term in study.reform_types.all()]
    names += [term.name for term in study.themes.all()]
    names += list(study.partners)
    tags = " · ".join(dict.fromkeys(name for name in names if name))
    sections = [study.challenge, study.approach, study.outcomes, study.lessons]
    body = "\n".join(_plain(section) for section in sections if section)
    return tags, body


def _plain(markdown_text: str) -> str:
    rendered = render_markdown(markdown_text)
    return html.unescape(nh3.clean(re.sub(r"<(/?)(p|li|h\d|br)\b", r" <\1\2", rendered), tags=set())).strip()


def index_case_studies(ids=None) -> int:
    """Rebuild the search documents of the given case studies (all when None)."""
    studies = CaseStudy.objects.prefetch_related(
        "council_roles__council__aliases",
        "council_roles__council__predecessors",
        "council_roles__council__replaced_by",
        "reform_types",
        "themes",
    ).order_by("pk")
    if ids is not None:
        studies = studies.filter(pk__in=list(ids))
    backend = _backend()
    done = 0
    iterator = studies.iterator(chunk_size=500)
    word_counts: Counter = Counter()
    with transaction.atomic():
        if ids is None:
            backend.clear()
        while batch := list(islice(iterator, 500)):
            for study in batch:
                study.search_tags, study.search_body = document_for(study)
            CaseStudy.objects.bulk_update(batch, ["search_tags", "search_body"])
            backend.store(batch)
            _add_words(batch, word_counts if ids is None else None)
            done += len(batch)
        if ids is None:
            _replace_words(word_counts)
    shelves_changed()
    return done


def _add_words(batch, full_rebuild_counts: Counter | None) -> None:
    """Count the words of a batch: into ``full_rebuild_counts`` during a full
    rebuild, or straight into the word list when only some case studies changed."""
    counts: Counter = Counter()
    for study in batch:
        text = " ".join([study.title, study.summary, study.search_tags, study.search_body])
        counts.update({word for word in _words(text) if len(word) >= 3 and word not in STOP_WORDS})
    if full_rebuild_counts is not None:
        full_rebuild_counts.update(counts)
        return
    existing = set(SearchWord.objects.filter(word__in=counts).values_list("word", flat=True))
    new = [SearchWord(word=word, frequency=count) for word, count in counts.items() if word not in existing]
    created = SearchWord.objects.bulk_create(new, batch_size=1000)
    _backend().store_words([(word.pk, word.word) for word in created])


def _replace_words(word_counts: Counter) -> None:
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, frequency=count) for word, count in word_counts.items()), batch_size=2000
    )
    _backend().store_words(SearchWord.objects.values_list("pk", "word"))
