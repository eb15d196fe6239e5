"""Search over case studies, by their words and by their meaning, the same
behaviour on two databases.

One public function, ``search(queryset, words)``, narrows a queryset to the
case studies that answer the words, ranks them and annotates each with a
highlighted snippet. Behind it one backend
protocol (``search.backends``) with a PostgreSQL implementation (a weighted
tsvector with a GIN index, English stemming, pg_trgm for misspellings) and an
SQLite one (an FTS5 table with the Porter stemmer, bm25 with the same weights,
an FTS5 trigram table for misspellings). Nothing outside the backends knows
which database it is on. Beside the words, each query is compared in meaning
with every published case study (search.vectors), and the two are fused
(search.hybrid).

Both branches share the parts that decide what a query means, so the same
words give the same answer on both:

- quoted phrases, ``-word`` to exclude and ``or`` between words, as in
  PostgreSQL's websearch syntax; every other character is ignored, so no input
  is an error;
- officers' words are widened with the synonyms, phrases, acronyms and
  spellings curators keep (search.vocabulary: "joint" also finds "shared",
  "back in house" finds insourcing), and a word that appears nowhere in the
  shelves is also searched for as the nearest word that does ("libary" finds
  "library", search.spelling);
- all words should match; when few case studies match them all, those that
  match some of them and are near in meaning follow, and the page says so;
  those near enough in meaning are found without the words.
"""

import html
import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual

from casestudies.shelf_version import shelf_version
from search import hybrid, spelling
from search.backends import backend as _backend
from search.query import (
    ENOUGH_RESULTS,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    MAX_QUERY_LENGTH,
    ParsedQuery,
    clean_query,
    parse,
)
from search.usage import published_count, word_usage
from search.vocabulary import Understood, find_phrases, vocabulary, widen

__all__ = ["MAX_QUERY_LENGTH", "SearchResults", "highlight_html", "search"]


@dataclass
class SearchResults:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    relaxed: bool = False
    suggestion: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    widened: ParsedQuery | None = None  # what was searched for: each idea with its alternatives
    meaning: hybrid.Meaning = field(default_factory=hybrid.Meaning)
    _match: object = None
    _where: Q | None = None

    @property
    def active(self) -> bool:
        return self._match is not None

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Apply the same decided search to another queryset (for facet counts),
        without ranking or snippets."""
        if self._match is None:
            return queryset
        if self._where is not None:
            return queryset.filter(self._where)
        return _backend().narrow(queryset, self._match)


def search(queryset: QuerySet, words: str | None, *, ranked: bool = True) -> SearchResults:
    """Narrow ``queryset`` to what answers ``words``, best first, each row
    annotated with ``search_rank``, ``search_meaning`` and ``search_snippet``
    (highlights marked with HIGHLIGHT_START and HIGHLIGHT_STOP; see
    ``highlight_html``); search.explain says why each was found.

    ``ranked=False`` decides the same matches without ranking them, for a page that
    only counts them (figures, the map): what decides the matches still runs (whether
    to relax, the meaning), what only orders them (candidates, bm25, snippets) does not."""
    text, truncated = clean_query(words)
    if parse(text).is_empty:
        return SearchResults(queryset=queryset, query=text, truncated=truncated)
    version = shelf_version()
    understood = find_phrases(text, vocabulary(version))
    parsed = parse(understood.text)
    backend = _backend()
    # A word curators wrote into the vocabulary is a word, not a misspelling: "layers"
    # (of management) is not put right as "lawyers" because no case study says it.
    known = vocabulary(version).words
    corrections = spelling.corrections([word for word in parsed.words() if word not in known])
    widened = widen(parsed, understood, corrections, vocabulary(version))
    strict = backend.compile(widened, require_all=True)
    found = SearchResults(
        queryset=queryset,
        query=text,
        truncated=truncated,
        suggestion=spelling.suggestion(text, corrections),
        corrections=corrections,
        widened=widened,
        _match=strict,
    )
    if not parsed.groups:  # only words to leave out
        found.queryset = backend.rank(queryset, strict) if ranked else found.narrow(queryset)
        return found
    return _ranked(found, queryset, understood, parsed, version, ranked=ranked)


def _ranked(
    found: SearchResults,
    queryset: QuerySet,
    understood: Understood,
    parsed: ParsedQuery,
    version: str,
    *,
    ranked: bool = True,
):
    backend, widened, strict = _backend(), found.widened, found._match
    loose = None
    if (
        len(widened.groups) > 1
        and backend.narrow(queryset, strict).order_by()[:ENOUGH_RESULTS].count() < ENOUGH_RESULTS
    ):
        # Few case studies use all the words: those that use some of them follow.
        loose = backend.compile(widened, require_all=False)
    found.relaxed = loose is not None
    if not _asks_for_exact_words(found.query):
        found.meaning = hybrid.meaning_of(found.query, version)
    found._where = _admitted(found, backend, loose, version)
    if not ranked:
        found.queryset = found.narrow(queryset)
        return found
    # The words as typed (and corrected) count more than their synonyms.
    typed = widen(parsed, understood, found.corrections, vocabulary(version), synonyms=False)
    ranked = backend.rank(
        queryset,
        loose or strict,
        prefer=strict if loose else None,
        boost=backend.compile(typed, require_all=False),
        in_title=backend.in_title(widened),
        where=found._where,
        also=found.meaning.alone,
        ideas=widened,
        typed=typed,
        version=version,
    )
    found.queryset = hybrid.fused(
        ranked, found.meaning, coverage=backend.coverage(ranked, widened), groups=len(widened.groups)
    )
    return found


def _admitted(found: SearchResults, backend, loose, version: str) -> Q:
    """Which case studies a search lists: those with every word, those with some of the
    telling ones (when few have them all), and those near in meaning."""
    widened, strict = found.widened, found._match
    coverage = backend.groups_matched(widened)
    most_words = Q(GreaterThanOrEqual(coverage, math.ceil(len(widened.groups) / 2)))
    # The words' usage is read whether relaxed or not, so that a search costs the same queries
    # however many match; a relaxed one asks one more, for the ids near it (hybrid.admitted).
    groups = _telling_groups(widened, version)
    telling = loose
    if loose is not None and found.meaning.available:
        telling = backend.compile(ParsedQuery(groups=groups), require_all=False) if groups else None
    where = hybrid.admitted(
        backend.matches(strict),
        telling and backend.matches(telling),
        found.meaning,
        among=found.queryset.model._base_manager.using(found.queryset.db),
        most_words=most_words,
    )
    if widened.negatives:  # what the query leaves out is left out of what meaning finds too
        where &= backend.matches(backend.compile(ParsedQuery(negatives=widened.negatives), require_all=True))
    return where


def _telling_groups(widened: ParsedQuery, version: str) -> tuple:
    """The query's ideas less those most case studies have: one with only "council" of
    "council went bankrupt" has not answered it, however near in meaning (it found all
    35 demo case studies). Empty if every idea is that common."""
    used = word_usage({word for group in widened.groups for term in group for word in term}, version=version)
    half = published_count(version) / 2

    def common(group) -> bool:
        return any(min(used.get(word, 0) for word in term) > half for term in group)

    return tuple(group for group in widened.groups if not common(group))


def _asks_for_exact_words(text: str) -> bool:
    """A quoted phrase, a word to leave out or "or": the searcher is choosing the words."""
    tokens = text.split()
    return '"' in text or any(token.startswith("-") for token in tokens) or "or" in map(str.lower, tokens)


def highlight_html(snippet: str) -> str:
    """Escape a snippet completely, then turn only our own markers into <mark>."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
