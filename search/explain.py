"""Why each result was found, and which of its text to show.

- A case study with the words says which: "Matched: insourcing, waste
  collection" (each idea of the query by the first of its terms the case study
  has: as typed, put right, or the vocabulary's), or "Matched some of your
  words: ..." when it has only some; its snippet is the database's, cut from
  the body or summary where the words are.
- Where the database's stemming matched a form of a word that this module's
  rough stems do not see ("collection" finding "collective"), the words marked
  in its snippet say what matched, so no result goes without a reason.
- A case study found by meaning alone says what it is about nearest the query:
  "Related idea: children and families" (of its reform types and themes, the
  nearest in meaning); its snippet is its sentence nearest the query.

Worked out for the case studies on a page only, from what the page has
fetched (reform types and themes are prefetched by with_shelf_relations), so it
costs no query.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from search.embedding import embed, embed_one
from search.query import HIGHLIGHT_START, HIGHLIGHT_STOP, Term, _words

SUFFIXES = [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", "")]
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MARKED = re.compile(f"{re.escape(HIGHLIGHT_START)}(.*?){re.escape(HIGHLIGHT_STOP)}", re.DOTALL)
MAX_SNIPPET_WORDS = 40


@dataclass(frozen=True)
class Explanation:
    reason: str
    snippet: str  # with search.query's highlight markers where the words are


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A rough English stem, enough to tell whether a case study uses a word."""
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def _has(term: Term, stems: set[str]) -> bool:
    return all(stem(word) in stems for part in term for word in _words(part))


def matched_terms(widened, study) -> list[str]:
    """Each idea of the query that the case study has, by the first term of it found."""
    text = " ".join([study.title, study.summary, study.search_tags, study.search_body])
    stems = {stem(word) for word in set(_words(text))}
    found = []
    for group in widened.groups if widened is not None else ():
        term = next((term for term in group if _has(term, stems)), None)
        if term is not None:
            found.append(" ".join(term))
    return found


@lru_cache(maxsize=512)
def _vector_of(name: str) -> np.ndarray:
    return embed_one(name)


def related_idea(query: str, study) -> str:
    """The case study's reform type or theme nearest the query in meaning."""
    names = [term.name for term in study.reform_types.all()] + [term.name for term in study.themes.all()]
    if not names:
        return ""
    vector = embed_one(query)
    return max(names, key=lambda name: float(_vector_of(name) @ vector))


def nearest_sentence(query: str, study) -> str:
    sentences = [s.strip() for s in SENTENCE.split(f"{study.summary}\n{study.search_body}") if s.strip()]
    if not sentences:
        return study.summary
    best = sentences[int(np.argmax(embed(sentences) @ embed_one(query)))]
    words = best.split()
    return " ".join(words[:MAX_SNIPPET_WORDS]) + (" …" if len(words) > MAX_SNIPPET_WORDS else "")


def explain(results, study) -> Explanation:
    """Why ``study`` (a row of ``results.queryset``) was found, and its snippet."""
    snippet = getattr(study, "search_snippet", None) or study.summary
    terms = matched_terms(results.widened, study)
    groups = len(results.widened.groups) if results.widened is not None else 0
    if terms and len(terms) >= groups:
        return Explanation(f"Matched: {', '.join(terms)}", snippet)
    if getattr(study, "search_meaning", 0) and not getattr(study, "search_coverage", 0):
        idea = related_idea(results.query, study)
        reason = f"Related idea: {idea[:1].lower()}{idea[1:]}" if idea else "Related in meaning to your words"
        return Explanation(reason, nearest_sentence(results.query, study))
    if not terms:  # the database matched a form of the words the rough stems do not see
        terms = marked_words(snippet)
        if terms and getattr(study, "search_coverage", 0) >= groups:
            return Explanation(f"Matched: {', '.join(terms)}", snippet)
    if terms:
        return Explanation(f"Matched some of your words: {', '.join(terms)}", snippet)
    return Explanation("Matched your words", snippet)


def marked_words(snippet: str) -> list[str]:
    """The words the database highlighted in a snippet, each once, in order."""
    return list(dict.fromkeys(word.strip().lower() for word in MARKED.findall(snippet) if word.strip()))
