"""What a query means: the words, phrases, exclusions and synonyms, decided the
same way on both databases so the same words give the same answer.

- quoted phrases, ``-word`` to exclude and ``or`` between words, as in
  PostgreSQL's websearch syntax; every other character is ignored, so no input
  is an error;
- officers' words are widened with the synonyms they use ("joint" also finds
  "shared"): search.vocabulary, from rows curators edit;
- trigram similarity, for the nearest known word to a misspelt one.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_SIMILARITY = 0.3  # pg_trgm's default: how alike two words must be to be candidates
MIN_CORRECTION_SIMILARITY = 0.5  # how alike a correction must be to be searched for too
ENOUGH_RESULTS = 5  # fewer strict matches than this, and near matches are added
# How many matches are ranked in full: the first by a cheap order (see search.backends.bounded).
RANK_CANDIDATES = 200
BOOST_AS_TYPED = 2  # a match on the words as typed counts this many times a synonym's
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"

# Weights for a match in the title, in the summary and tags (councils,
# vocabulary, partners), and in the body: a title match outranks a body match.
WEIGHT_TITLE, WEIGHT_TAGS, WEIGHT_BODY = 1.0, 0.4, 0.2

# PostgreSQL's English stop words (Snowball), dropped from queries on both databases.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing don down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own s same she
    should so some such t than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    you your yours yourself yourselves""".split()  # noqa: SIM905
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


# ---------------------------------------------------------------------------
# What a query means (shared by both databases)

Term = tuple[str, ...]  # one word, or the words of a phrase


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[Term, ...], ...] = ()  # every group must match; any term in a group will do
    negatives: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.negatives

    def words(self) -> list[str]:
        return [word for group in self.groups for term in group for word in term]


def clean_query(text: str | None) -> tuple[str, bool]:
    """The query as we will use it, and whether it had to be shortened."""
    text = (text or "").replace("\x00", " ").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def parse(text: str) -> ParsedQuery:
    """Read websearch-style syntax: "a phrase", -exclude, or. Never fails."""
    tokens = re.findall(r'(-?)"([^"]*)"?|(\S+)', text)
    groups: list[list[Term]] = []
    negatives: list[Term] = []
    join_next = False
    count = 0
    for minus, quoted, bare in tokens:
        if count >= MAX_TERMS:
            break
        if bare and bare.lower() == "or" and groups:
            join_next = True
            continue
        negative = bool(minus) or bare.startswith("-")
        words = _words(quoted if quoted or minus else bare.lstrip("-"))
        if not quoted and not minus:
            words = [word for word in words if word not in STOP_WORDS]
        if not words:
            continue
        terms = [tuple(words)] if quoted or minus else [(word,) for word in words]
        count += 1
        if negative:
            negatives.extend(terms)
            continue
        for index, term in enumerate(terms):
            if join_next and index == 0:
                groups[-1].append(term)
            else:
                groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(negatives))


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(), computed the same way for both databases."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0
