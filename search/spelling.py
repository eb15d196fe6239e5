"""Misspelt words: the nearest word on the shelves, searched for too, and a
"Did you mean" that is the query as typed with only those words put right.

A word is a candidate when it looks like the typed one (trigrams, as pg_trgm
and SQLite's trigram table find them); it is taken when it is alike enough by
trigrams (MIN_CORRECTION_SIMILARITY) or is one edit away (two for long words:
a letter wrong, missing, added or two swapped), which trigrams undervalue in
short words ("legel" and "legal" share a third of their trigrams). Only words
of published case studies are ever offered (search.models.SearchWord)."""

import re

from search.backends import backend as _backend
from search.models import SearchWord
from search.query import MIN_CORRECTION_SIMILARITY, _fold, similarity

MIN_LENGTH = 4
LONG_WORD = 8  # from this length, two edits may still be a misspelling


def edits(first: str, second: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _allowed_edits(word: str) -> int:
    return 2 if len(word) >= LONG_WORD else 1


def corrections(words: list[str]) -> dict[str, str]:
    """For each word no published case study uses, the nearest word one does."""
    unknown = set(words) - set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    found = {}
    for word in sorted(w for w in unknown if len(w) >= MIN_LENGTH and not w.isdigit()):
        scored = []
        for candidate, frequency in _backend().similar_words(word):
            distance, alike = edits(word, candidate), similarity(word, candidate)
            if alike >= MIN_CORRECTION_SIMILARITY or distance <= _allowed_edits(word):
                scored.append((distance, -alike, -frequency, candidate))
        if scored:
            found[word] = min(scored)[3]
    return found


def suggestion(text: str, found: dict[str, str]) -> str | None:
    """The query as typed, with only the misspelt words put right."""
    if not found:
        return None
    return re.sub(r"[^\W_]+", lambda word: found.get(_fold(word.group()), word.group()), text)
