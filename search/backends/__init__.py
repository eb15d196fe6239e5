"""One protocol, two implementations: PostgreSQL's and SQLite's full-text
search, chosen by the database the default connection is on."""

from typing import Any, Protocol

from django.db import connection
from django.db.models import Q, QuerySet

from search.backends.postgres import PostgresBackend
from search.backends.sqlite import SQLiteBackend
from search.query import ParsedQuery


class SearchBackend(Protocol):
    def compile(self, query: ParsedQuery, *, require_all: bool) -> Any:
        """A match for the query, in the backend's own form."""

    def compile_any(self, matches: list) -> Any:
        """A match for any of several compiled matches."""

    def matches(self, match: Any) -> Q:
        """A condition: the rows that answer the match."""

    def narrow(self, queryset: QuerySet, match: Any) -> QuerySet:
        """Only the rows that answer the match."""

    def groups_matched(self, query: ParsedQuery) -> Any:
        """An expression: how many of the query's word groups a row has, anywhere."""

    def in_title(self, query: ParsedQuery) -> Any:
        """An expression: how many of the query's word groups appear in the title."""

    def coverage(self, ranked: QuerySet, query: ParsedQuery) -> Any:
        """An expression: how many of the query's word groups each of the candidates of
        ``ranked`` (as rank returned it) has, anywhere."""

    def rank(
        self,
        queryset: QuerySet,
        match: Any,
        *,
        prefer=None,
        boost=None,
        in_title=None,
        where=None,
        also=(),
        ideas: ParsedQuery | None = None,
        typed: ParsedQuery | None = None,
        version: str = "",
    ) -> QuerySet:
        """Narrowed (to ``where`` if given, else to the match), annotated with
        search_rank and search_snippet, best first; the rows ``also`` are
        ranked in full like the best matches. ``ideas`` (the query widened, whose
        terms ``match`` was compiled from), ``typed`` (its terms as typed, which
        ``boost`` was compiled from) and ``version`` (the shelf version) let a
        backend weigh each term by its rarity."""

    def clear(self) -> None:
        """Forget every stored document (before a full rebuild)."""

    def store(self, batch) -> None:
        """Store the search documents of these case studies."""

    def store_words(self, rows) -> None:
        """Store (pk, word) rows for finding similar words."""

    def forget_words(self, pks) -> None:
        """Forget the words with these primary keys (deleted from the word list)."""

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        """Known words that look like ``word``, with their frequencies."""


def backend() -> SearchBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
