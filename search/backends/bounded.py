"""Ranking as many matches as anyone reads, whatever the size of the shelves.

Ranking a match in full reads its whole search document (its tsvector, or its
FTS5 row), which for a common word means every case study on the shelves. So
both backends rank only RANK_CANDIDATES matches: the first by an order that
costs nothing per row (those matching every word, when not all do, then the
newest), found in one query that reads no document. They come first, best
first; the other matches follow in that cheap order, so every match is still
found, counted and paged through. With no more matches than RANK_CANDIDATES
(the demo shelves, and the relevance suite), the order is exactly the full
ranking."""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from search.query import RANK_CANDIDATES

ORDER = ["-search_candidate", "-search_all_words", "-search_in_title", "-search_rank", "-published_at", "-pk"]


def candidate_ids(narrowed: QuerySet, all_words) -> list[int]:
    """The matches worth ranking in full."""
    cheap_first = narrowed.annotate(search_all_words=all_words).order_by(
        "-search_all_words", F("published_at").desc(nulls_last=True), "-pk"
    )
    return list(cheap_first.values_list("pk", flat=True)[:RANK_CANDIDATES])


def only_for(candidate: Q, expression, otherwise):
    """``expression`` for the candidates, ``otherwise`` (cheap) for the rest."""
    return Case(When(candidate, then=expression), default=otherwise)


def flag(candidate: Q):
    return Case(When(candidate, then=Value(1)), default=Value(0), output_field=IntegerField())
