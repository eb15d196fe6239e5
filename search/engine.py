"""Full-text search over case studies, the same behaviour on two databases.

One public function, ``search(queryset, words)``, narrows a queryset to the
case studies that answer the words, ranks them and annotates each with a
highlighted snippet. Behind it one backend
protocol (``search.backends``) with a PostgreSQL implementation (a weighted
tsvector with a GIN index, English stemming, pg_trgm for misspellings) and an
SQLite one (an FTS5 table with the Porter stemmer, bm25 with the same weights,
an FTS5 trigram table for misspellings). Nothing outside the backends knows
which database it is on.

Both branches share the parts that decide what a query means, so the same
words give the same answer on both:

- quoted phrases, ``-word`` to exclude and ``or`` between words, as in
  PostgreSQL's websearch syntax; every other character is ignored, so no input
  is an error;
- officers' words are widened with the synonyms they use ("joint" also finds
  "shared"), and a word that appears nowhere in the shelves is also searched
  for as the nearest word that does ("libary" finds "library");
- all words must match; when nothing matches them all, case studies that
  match some are shown, and the page says so.
"""

import html
import math
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import QuerySet

from search.backends import backend as _backend
from search.models import SearchWord
from search.query import (
    ENOUGH_RESULTS,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    MAX_COMBINATIONS,
    MAX_QUERY_LENGTH,
    MIN_CORRECTION_SIMILARITY,
    ParsedQuery,
    _words,
    clean_query,
    parse,
    similarity,
    widen,
)

__all__ = ["MAX_QUERY_LENGTH", "SearchResults", "highlight_html", "search"]


@dataclass
class SearchResults:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    relaxed: bool = False
    suggestion: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    _match: object = None

    @property
    def active(self) -> bool:
        return self._match is not None

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Apply the same decided search to another queryset (for facet counts),
        without ranking or snippets."""
        if self._match is None:
            return queryset
        return _backend().narrow(queryset, self._match)


def search(queryset: QuerySet, words: str | None) -> SearchResults:
    """Narrow ``queryset`` to what answers ``words``, best first, each row
    annotated with ``search_rank`` and ``search_snippet`` (highlights marked
    with HIGHLIGHT_START and HIGHLIGHT_STOP; see ``highlight_html``)."""
    text, truncated = clean_query(words)
    parsed = parse(text)
    if parsed.is_empty:
        return SearchResults(queryset=queryset, query=text, truncated=truncated)
    backend = _backend()
    corrections = _corrections(parsed.words())
    widened = widen(parsed, corrections)
    strict = backend.compile(widened, require_all=True)
    match, prefer, relaxed = strict, None, False
    loose = _most_of(widened)
    if (
        loose is not None
        and backend.narrow(queryset, strict).order_by()[:ENOUGH_RESULTS].count() < ENOUGH_RESULTS
    ):
        # Few case studies use all the words: add those that use most of
        # them, after the ones that use them all.
        match = backend.compile_any([backend.compile(part, require_all=True) for part in loose])
        prefer, relaxed = strict, True
    # The words as typed (and corrected) count more than their synonyms.
    typed = widen(parsed, corrections, synonyms=False)
    as_typed = backend.compile(typed, require_all=False)
    suggestion = None
    if corrections:
        suggestion = " ".join(corrections.get(word, word) for word in _words(text))
    return SearchResults(
        queryset=backend.rank(
            queryset, match, prefer=prefer, boost=as_typed, in_title=backend.in_title(widened)
        ),
        query=text,
        truncated=truncated,
        relaxed=relaxed,
        suggestion=suggestion,
        corrections=corrections,
        _match=match,
    )


def _most_of(query: ParsedQuery) -> list[ParsedQuery] | None:
    """The ways to match at least half of a query's word groups (rounded
    up), or None where that is the whole query or too many combinations."""
    count = len(query.groups)
    needed = max(1, math.ceil(count / 2))
    if count < 2 or needed == count or math.comb(count, needed) > MAX_COMBINATIONS:
        return None
    return [
        ParsedQuery(groups=subset, negatives=query.negatives) for subset in combinations(query.groups, needed)
    ]


def highlight_html(snippet: str) -> str:
    """Escape a snippet completely, then turn only our own markers into <mark>."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


def _corrections(words: list[str]) -> dict[str, str]:
    unknown = set(words) - set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    unknown = {word for word in unknown if len(word) >= 4 and not word.isdigit()}
    corrections = {}
    backend = _backend()
    for word in sorted(unknown):
        candidates = backend.similar_words(word)
        scored = sorted(
            ((similarity(word, candidate), frequency, candidate) for candidate, frequency in candidates),
            reverse=True,
        )
        if scored and scored[0][0] >= MIN_CORRECTION_SIMILARITY:
            corrections[word] = scored[0][2]
    return corrections
