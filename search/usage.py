"""How many public case studies use each word, and how many are public: what a
word's rarity is measured by (bm25's inverse document frequency, by which
PostgreSQL's ranking weighs each term: search.backends.postgres), and what tells
a word most case studies use (search.engine).

From the word table (search.models.SearchWord: how many published case studies
use each word), each asked once per process for each shelf version: the
engine and the ranking ask about the same words, and a change to the shelves
changes the version."""

import math

from casestudies.models import CaseStudy
from search.models import SearchWord
from search.query import Term

_published: dict[str, int] = {}
_used: dict[tuple[str, frozenset], dict[str, int]] = {}


def published_count(version: str) -> int:
    """How many case studies are public."""
    if version not in _published:
        _published.clear()
        _published[version] = CaseStudy.objects.published().count()
    return _published[version]


def word_usage(words, *, version: str) -> dict[str, int]:
    """How many published case studies use each of ``words`` (a word none uses is left out)."""
    key = (version, frozenset(words))
    if key not in _used:
        _used.clear()  # the last query's words only: asked again by the ranking of the same search
        _used[key] = dict(SearchWord.objects.filter(word__in=key[1]).values_list("word", "frequency"))
    return _used[key]


def rarity(terms, *, version: str) -> dict[Term, float]:
    """bm25's inverse document frequency of each term: log(1 + (N - n + 0.5) / (n + 0.5)),
    n the published case studies using the term's rarest word (a phrase is as rare as
    that word at most). A word the table does not know in that form (another form of a
    known one, found by stemming) counts as rare."""
    used = word_usage({word for term in terms for word in term}, version=version)
    total = max([published_count(version), *used.values()])

    def idf(n: int) -> float:
        return math.log(1 + (total - n + 0.5) / (n + 0.5))

    return {term: idf(min(used.get(word, 1) for word in term)) for term in terms}
