"""Judging search against the relevance set in relevance_queries.json.

The set's queries are written from officers' side and graded (3 exactly this,
2 closely relevant, 1 partly); see the file's "about" for how it was made and
why its test half is never tuned on. This module only measures: nDCG@5 with
gain 2^grade - 1 for each query, and means per half and per kind.
"""

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RELEVANCE_FILE = Path(__file__).with_name("relevance_queries.json")
NONE = "none"
DEPTH = 5


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    half: str
    relevant: dict[str, int]


@dataclass(frozen=True)
class Outcome:
    judged: Judged
    found: list[str]
    score: float  # nDCG@5; for a "none" query, 1 when nothing was found, else 0


def load_set() -> dict:
    return json.loads(RELEVANCE_FILE.read_text(encoding="utf-8"))


def load_queries(half: str | None = None) -> list[Judged]:
    queries = [Judged(**entry) for entry in load_set()["queries"]]
    return [query for query in queries if half is None or query.half == half]


def halves_by_rule(queries: list[Judged]) -> dict[str, str]:
    """The half each query belongs in by the file's stated rule: within each
    kind, in order of the SHA-1 of the text, alternately dev and test."""
    halves = {}
    for kind in {query.kind for query in queries}:
        texts = sorted(
            (query.query for query in queries if query.kind == kind),
            key=lambda text: hashlib.sha1(text.encode("utf-8")).hexdigest(),  # noqa: S324 - a split, not security
        )
        halves.update({text: "dev" if index % 2 == 0 else "test" for index, text in enumerate(texts)})
    return halves


def ndcg_at_5(found: list[str], relevant: dict[str, int]) -> float:
    def gain(grade: int) -> float:
        return 2**grade - 1

    dcg = sum(gain(relevant.get(slug, 0)) / math.log2(rank + 2) for rank, slug in enumerate(found[:DEPTH]))
    best = sorted(relevant.values(), reverse=True)[:DEPTH]
    ideal = sum(gain(grade) / math.log2(rank + 2) for rank, grade in enumerate(best))
    return dcg / ideal


def measure(run: Callable[[str], list[str]], queries: list[Judged]) -> list[Outcome]:
    """Run each query (``run`` returns the slugs found, best first) and score it."""
    outcomes = []
    for judged in queries:
        found = run(judged.query)
        score = (0.0 if found else 1.0) if judged.kind == NONE else ndcg_at_5(found, judged.relevant)
        outcomes.append(Outcome(judged, found[:DEPTH], score))
    return outcomes


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def ranked(outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes that have an nDCG (every kind but "none")."""
    return [outcome for outcome in outcomes if outcome.judged.kind != NONE]


def per_kind(outcomes: list[Outcome]) -> dict[str, tuple[float, int]]:
    kinds = dict.fromkeys(load_set()["kinds"])
    figures = {}
    for kind in kinds:
        scores = [outcome.score for outcome in outcomes if outcome.judged.kind == kind]
        if scores:
            figures[kind] = (mean(scores), len(scores))
    return figures


def report(outcomes: list[Outcome], title: str, *, details: bool = False) -> str:
    lines = [
        f"{title}: mean nDCG@5 {mean([o.score for o in ranked(outcomes)]):.3f} over {len(ranked(outcomes))}"
    ]
    for kind, (score, count) in per_kind(outcomes).items():
        label = "found nothing" if kind == NONE else "nDCG@5"
        lines.append(f"  {kind:<20} {label} {score:.3f} ({count})")
    if details:
        for outcome in outcomes:
            if outcome.score < 1:
                lines.append(f"    {outcome.score:.2f}  {outcome.judged.query!r} -> {outcome.found}")
    return "\n".join(lines)
