"""Keeping the search documents in step with the case studies."""

import html
import re
from collections import Counter
from itertools import islice

import nh3
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from casestudies.models import CaseStudy
from casestudies.richtext import render_markdown
from casestudies.shelf_version import shelves_changed
from search.backends import backend as _backend
from search.models import PublishedWords, SearchWord
from search.query import STOP_WORDS, _words
from search.signals import indexed


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
    """Rebuild the search documents of the given case studies (all when None),
    and count their words into or out of the suggestion vocabulary."""
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
            PublishedWords.objects.all().delete()
        while batch := list(islice(iterator, 500)):
            for study in batch:
                study.search_tags, study.search_body = document_for(study)
            CaseStudy.objects.bulk_update(batch, ["search_tags", "search_body"])
            backend.store(batch)
            if ids is None:
                word_counts.update(_keep_published_words(batch, before={}))
            else:
                _count(_keep_published_words(batch, before=_published_words(batch)))
            done += len(batch)
        if ids is None:
            _replace_words(word_counts)
        indexed.send(sender="search", ids=None if ids is None else list(ids))
    shelves_changed()
    return done


# A longer "word" is a pasted address or a run of characters, never something
# to suggest; the word list's column could not hold it anyway (PostgreSQL
# refuses it, and the whole save with it).
MAX_WORD_LENGTH = SearchWord._meta.get_field("word").max_length


def vocabulary_words(study) -> set[str]:
    """The words a case study would give the suggestion vocabulary if it were public."""
    text = " ".join([study.title, study.summary, study.search_tags, study.search_body])
    return {word for word in _words(text) if 3 <= len(word) <= MAX_WORD_LENGTH and word not in STOP_WORDS}


def words_withdraw(*, case_study_ids) -> None:
    """Count a case study's words out of the vocabulary (it is being deleted)."""
    ids = list(case_study_ids)
    before = dict(PublishedWords.objects.filter(case_study__in=ids).values_list("case_study_id", "words"))
    if not before:
        return
    change: Counter = Counter()
    for words in before.values():
        change.subtract(dict.fromkeys(words.split(), 1))
    PublishedWords.objects.filter(case_study__in=ids).delete()
    _count(change)


def _published_words(batch) -> dict[int, set[str]]:
    rows = PublishedWords.objects.filter(case_study__in=[study.pk for study in batch])
    return {pk: set(words.split()) for pk, words in rows.values_list("case_study_id", "words")}


def _keep_published_words(batch, *, before: dict[int, set[str]]) -> Counter:
    """Record the words each published case study of the batch gives the
    vocabulary (none for the rest), and return how the count of each word
    changes: +1 for each study that now uses it and did not, -1 the other way."""
    change: Counter = Counter()
    rows = []
    for study in batch:
        old = before.get(study.pk, set())
        new = vocabulary_words(study) if study.is_published else set()
        change.update(dict.fromkeys(new - old, 1))
        change.subtract(dict.fromkeys(old - new, 1))
        if new:
            rows.append(PublishedWords(case_study=study, words=" ".join(sorted(new))))
    if before:
        PublishedWords.objects.filter(case_study__in=list(before)).delete()
    PublishedWords.objects.bulk_create(rows, batch_size=500)
    return change


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count(change: Counter) -> None:
    """Apply changes in the number of published case studies using each word:
    add the words that are new, and remove those no published case study uses."""
    backend = _backend()
    added = sorted(word for word, amount in change.items() if amount > 0)
    for words in _chunks(added):
        known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
        new = [word for word in words if word not in known]
        if new:
            # Created at zero and counted below like the others; a word another
            # transaction has just created is left to it and counted the same way.
            SearchWord.objects.bulk_create(
                [SearchWord(word=word, frequency=0) for word in new], ignore_conflicts=True
            )
            backend.store_words(SearchWord.objects.filter(word__in=new).values_list("pk", "word"))
    by_amount: dict[int, list[str]] = {}
    for word, amount in change.items():
        if amount:
            by_amount.setdefault(amount, []).append(word)
    for amount, words in by_amount.items():
        for chunk in _chunks(words):
            SearchWord.objects.filter(word__in=chunk).update(frequency=Greatest(F("frequency") + amount, 0))
    removed = [word for word, amount in change.items() if amount < 0]
    for chunk in _chunks(removed):
        unused = list(SearchWord.objects.filter(word__in=chunk, frequency=0).values_list("pk", flat=True))
        if unused:
            SearchWord.objects.filter(pk__in=unused).delete()
            backend.forget_words(unused)


def _replace_words(word_counts: Counter) -> None:
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, frequency=count) for word, count in word_counts.items()), batch_size=2000
    )
    _backend().store_words(SearchWord.objects.values_list("pk", "word"))
