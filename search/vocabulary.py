"""Officers' words: the synonyms, phrases, acronyms and spellings that widen a
query, kept as rows curators edit (``search.models.SynonymGroup``).

Each group lists words and phrases that mean the same thing to an officer; a
query using any of them also finds the others. A phrase counts when the query
has its words in order, stop words and all ("back in house", "council went
bankrupt"), and then stands for one idea of the query, not for each of its
words. A hyphenated entry ("in-house") is searched for as written, so that
PostgreSQL, which drops "in" as a stop word, does not search for "house" alone.
An entry written in capitals ("SEND") is an acronym that is also an ordinary
word: it counts only where the query has it in capitals.

The groups are read once per process and again whenever the shelf version
changes (saving a group changes it), so a page never waits for more than one
small query.
"""

import re
import threading
from dataclasses import dataclass, field

from django.db import connection

from search.models import SynonymGroup
from search.query import STOP_WORDS, ParsedQuery, Term, _fold, _words

# A word as an entry is searched for: hyphenated compounds stay one word.
_ENTRY_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Tokens of a query as typed: a quoted part, or a run without spaces.
_QUERY_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


@dataclass(frozen=True)
class Entry:
    text: str  # as the curator wrote it
    term: Term  # what the backends search for
    key: tuple[str, ...]  # the plain words that find it in a query
    capitals: bool  # counts only where typed in capitals


def entry(text: str) -> Entry | None:
    text = text.strip()
    term = tuple(_ENTRY_WORD.findall(_fold(text)))
    if not term:
        return None
    capitals = any(character.isalpha() for character in text) and text == text.upper() and " " not in text
    return Entry(text=text, term=term, key=tuple(_words(text)), capitals=capitals)


@dataclass
class Vocabulary:
    groups: list[list[Entry]] = field(default_factory=list)
    by_key: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    longest: int = 1
    words: set[str] = field(default_factory=set)  # every word of every entry

    @classmethod
    def of(cls, groups: list[list[str]]) -> "Vocabulary":
        vocabulary = cls()
        for texts in groups:
            entries = [made for made in map(entry, texts) if made is not None]
            if len(entries) < 2:
                continue
            index = len(vocabulary.groups)
            vocabulary.groups.append(entries)
            for item in entries:
                vocabulary.by_key.setdefault(item.key, [])
                if index not in vocabulary.by_key[item.key]:
                    vocabulary.by_key[item.key].append(index)
                vocabulary.longest = max(vocabulary.longest, len(item.key))
                vocabulary.words.update(item.key)
        return vocabulary

    def _entries(self, key: tuple[str, ...], *, typed_in_capitals: bool) -> list[Entry]:
        found = []
        for index in self.by_key.get(key, []):
            group = self.groups[index]
            if any(item.key == key and (typed_in_capitals or not item.capitals) for item in group):
                found += group
        return found

    def alternatives(self, key: tuple[str, ...], *, typed_in_capitals: bool = False) -> list[Term]:
        """What else to search for where a query says ``key``."""
        terms: list[Term] = []
        for item in self._entries(key, typed_in_capitals=typed_in_capitals):
            if item.key != key and item.term not in terms:
                terms.append(item.term)
        return terms

    def canonical(self, key: tuple[str, ...], *, typed_in_capitals: bool = False) -> Term | None:
        """The term a phrase of the query is searched for as (its entry as written)."""
        for item in self._entries(key, typed_in_capitals=typed_in_capitals):
            if item.key == key:
                return item.term
        return None

    def is_phrase(self, key: tuple[str, ...], typed: str) -> bool:
        typed_in_capitals = typed == typed.upper() and any(c.isalpha() for c in typed)
        return (len(key) > 1 or typed_in_capitals) and bool(
            self._entries(key, typed_in_capitals=typed_in_capitals)
        )


@dataclass(frozen=True)
class Understood:
    """A query with its officers' phrases found: the text to parse, in which each
    phrase is quoted, and the phrases so quoted (which the parser keeps whole)."""

    text: str
    phrases: dict[tuple[str, ...], bool]  # key -> typed in capitals


def find_phrases(text: str, vocabulary: Vocabulary) -> Understood:
    """Quote the vocabulary's phrases (and capitals-only acronyms) in the query's
    bare words, longest first, so each is parsed as one idea."""
    tokens = _QUERY_TOKEN.findall(text)
    out: list[str] = []
    phrases: dict[tuple[str, ...], bool] = {}
    index = 0
    while index < len(tokens):
        found = _phrase_at(tokens, index, vocabulary)
        if found is None:
            out.append(tokens[index])
            index += 1
            continue
        length, key, capitals = found
        out.append('"' + " ".join(key) + '"')
        phrases[key] = capitals
        index += length
    return Understood(text=" ".join(out), phrases=phrases)


def _phrase_at(tokens: list[str], start: int, vocabulary: Vocabulary):
    """The longest vocabulary phrase starting at ``tokens[start]``: (tokens used, key, capitals)."""
    best = None
    words: list[str] = []
    typed: list[str] = []
    for offset, token in enumerate(tokens[start : start + vocabulary.longest]):
        if token.startswith(("-", '"')) or token.lower() == "or":
            break
        words += _words(token)
        typed.append(token)
        key = tuple(words)
        if key and vocabulary.is_phrase(key, " ".join(typed)):
            capitals = " ".join(typed) == " ".join(typed).upper()
            best = (offset + 1, key, capitals)
    return best


def widen(query: ParsedQuery, understood: Understood, corrections: dict[str, str], vocabulary: Vocabulary,
          *, synonyms: bool = True) -> ParsedQuery:  # fmt: skip
    """Each idea of the query with its spelling corrections and, unless told not
    to, everything the vocabulary says means the same."""
    groups = []
    for group in query.groups:
        terms = list(group)
        for term in group:
            if term in understood.phrases:
                capitals = understood.phrases[term]
                canonical = vocabulary.canonical(term, typed_in_capitals=capitals)
                if canonical is not None and canonical != term:
                    terms[terms.index(term)] = canonical
                if synonyms:
                    terms += vocabulary.alternatives(term, typed_in_capitals=capitals)
                continue
            if len(term) != 1:
                continue
            word = term[0]
            if word in corrections:
                terms.append((corrections[word],))
            if synonyms:
                for key in [(word,), (corrections.get(word, ""),)]:
                    terms += vocabulary.alternatives(key)
        # A stop word on its own ("it" for IT) finds every case study on SQLite
        # and nothing on PostgreSQL: searched for only when nothing else is left.
        kept = [term for term in dict.fromkeys(terms) if not (len(term) == 1 and term[0] in STOP_WORDS)]
        groups.append(tuple(kept or dict.fromkeys(terms)))
    return ParsedQuery(tuple(groups), query.negatives)


# ---------------------------------------------------------------------------
# The curated groups, read once per process and again when the shelves change

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def vocabulary(version: str) -> Vocabulary:
    """The vocabulary as curators last saved it (one query when the version changed)."""
    with _lock:
        if _loaded.get("version") != version:
            # A migration that searches (related reforms) may run before this table exists.
            if not _loaded and SynonymGroup._meta.db_table not in connection.introspection.table_names():
                return Vocabulary()
            rows = SynonymGroup.objects.values_list("terms", flat=True)
            _loaded["vocabulary"] = Vocabulary.of([terms.splitlines() for terms in rows])
            _loaded["version"] = version
        return _loaded["vocabulary"]


def forget() -> None:
    """Drop this process's copy (tests)."""
    with _lock:
        _loaded.clear()
