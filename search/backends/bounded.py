"""Ranking as many matches as anyone reads, whatever the size of the shelves.

Ranking a match in full reads its whole search document (its tsvector, or its
FTS5 row), which for a common word means every case study on the shelves. So
both backends rank only RANK_CANDIDATES matches: the first by an order that
costs nothing per row (those matching every word, when not all do, then the
newest), found in one query that reads no document. They come first, best
first; the other matches follow in that cheap order, so every match is still
found, counted and paged through. With no more matches than RANK_CANDIDATES
(the demo shelves, and the relevance suite), the order is exactly the full
ranking.

The ids ranked in full travel with the ranked queryset (``ranked_ids``), so a
page among them can be read from them alone, without passing over every match
again (browse.shelves)."""

import json

from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, QuerySet, Value, When

from search.query import RANK_CANDIDATES

ORDER = ["-search_candidate", "-search_all_words", "-search_in_title", "-search_rank", "-published_at", "-pk"]


class IdIn(Func):
    """Whether a row's id is one of ``ids``, sent as one parameter: as a list of 200
    parameters, used five times in a ranked query, it cost Django more to prepare than
    the database to answer."""

    output_field = BooleanField()

    def __init__(self, ids):
        self.ids = sorted({int(pk) for pk in ids})
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", [*params, self.ids]
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]  # noqa: S608


def candidate_ids(narrowed: QuerySet, all_words) -> list[int]:
    """The matches worth ranking in full."""
    cheap_first = narrowed.annotate(search_all_words=all_words).order_by(
        "-search_all_words", F("published_at").desc(nulls_last=True), "-pk"
    )
    return list(cheap_first.values_list("pk", flat=True)[:RANK_CANDIDATES])


def only_for(candidate, expression, otherwise):
    """``expression`` for the candidates, ``otherwise`` (cheap) for the rest."""
    return Case(When(candidate, then=expression), default=otherwise)


def flag(candidate):
    return Case(When(candidate, then=Value(1)), default=Value(0), output_field=IntegerField())


def remember(queryset: QuerySet, ids) -> QuerySet:
    """Keep the ids ranked in full on the query itself: every clone of it keeps them."""
    queryset.query.search_ranked_ids = sorted(set(ids))
    return queryset


def ranked_ids(queryset: QuerySet) -> list[int] | None:
    """The ids ranked in full, first in the order, or None where the order is not a ranking."""
    return getattr(queryset.query, "search_ranked_ids", None)


class NumberById(Func):
    """A number for each row, looked up by its id in a JSON object sent as one parameter,
    0 for a row it does not name: one expression for the database, and for Django to
    build and compile, however many rows it names (a CASE with a branch for each of
    200 rows cost a search more time than the rest of the search)."""

    output_field = FloatField()

    def __init__(self, numbers: dict[int, float]):
        self.numbers = {str(pk): value for pk, value in numbers.items()}
        super().__init__(Value(json.dumps(self.numbers)), F("pk"))

    def as_sql(self, compiler, connection, **extra):
        (numbers, numbers_params), (key, key_params) = (compiler.compile(e) for e in self.source_expressions)
        if connection.vendor == "postgresql":
            sql = f"COALESCE((CAST({numbers} AS jsonb) ->> CAST({key} AS text))::float8, 0)"
        else:
            sql = f"COALESCE(json_extract({numbers}, '$.\"' || {key} || '\"'), 0)"
        return sql, [*numbers_params, *key_params]


def number_by_id(numbers: dict[int, float]):
    """NumberById, read only for the rows it names."""
    if not numbers:
        return Value(0.0, output_field=FloatField())
    return Case(
        When(pk__in=sorted(numbers), then=NumberById(numbers)), default=Value(0.0), output_field=FloatField()
    )
