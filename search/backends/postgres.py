"""PostgreSQL: a weighted tsvector kept on the case study row (GIN index),
English stemming, ts_rank and ts_headline, and pg_trgm for misspellings.

ts_rank counts a common word as much as a rare one, where SQLite's bm25 weighs
each by how rare it is: for "spin out a service as a staff-owned mutual" (whose
synonyms include "company" and "trust") every council company outranked the one
mutual. So a query's rank here is the sum of each of its terms' ts_rank, times
that term's rarity as bm25 measures it (search.usage, from the word table's
counts of published case studies using each word), and times BOOST_AS_TYPED + 1 for a
term as typed, as SQLite's bm25 of the words as typed is added. On PostgreSQL
the relevance set's development half rose from 0.824 to 0.849, and its test half
from 0.877 to 0.885 (docs/search-relevance.md). That rank is read in a statement of
its own, once per candidate, then ordered by inside the ranked query, with how many of the
query's ideas it has and has in its title (_scores)."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Concat

from casestudies.models import CaseStudy
from search.backends.bounded import ORDER, IdIn, NumberById, candidate_ids, flag, only_for, remember
from search.models import SearchWord
from search.query import (
    BOOST_AS_TYPED,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    WEIGHT_BODY,
    WEIGHT_TAGS,
    WEIGHT_TITLE,
    ParsedQuery,
    Term,
)
from search.usage import rarity

# ts_rank's weights for the labels D, C, B and A (search bodies, tags and summaries, titles).
WEIGHTS = [0.05, WEIGHT_BODY, WEIGHT_TAGS, WEIGHT_TITLE]


class PostgresBackend:
    config = "english"

    def compile(self, query: ParsedQuery, *, require_all: bool):
        term_query = self._term_query
        combined = None
        for group in query.groups:
            alternatives = None
            for term in group:
                alternatives = term_query(term) if alternatives is None else alternatives | term_query(term)
            if combined is None:
                combined = alternatives
            else:
                combined = combined & alternatives if require_all else combined | alternatives
        for term in query.negatives:
            combined = ~term_query(term) if combined is None else combined & ~term_query(term)
        return combined

    def compile_any(self, matches):
        combined = matches[0]
        for match in matches[1:]:
            combined = combined | match
        return combined

    def matches(self, match) -> Q:
        return Q(search_vector=match)

    def narrow(self, queryset: QuerySet, match) -> QuerySet:
        return queryset.filter(self.matches(match))

    def groups_matched(self, query: ParsedQuery):
        """How many of the query's ideas (word groups) a case study has, anywhere."""
        counts = [
            Case(
                When(
                    search_vector=self.compile(ParsedQuery(groups=(group,)), require_all=True), then=Value(1)
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for group in query.groups
        ]
        return sum(counts[1:], counts[0]) if counts else Value(0)

    def preferred(self, prefer, within: QuerySet):
        """1 for the rows of ``within`` matching ``prefer``: few (see search.engine), looked up
        in the index once, never by reading each row's vector."""
        if not prefer:
            return Value(1)
        matching = self.narrow(within, prefer).values("pk")
        return Case(When(pk__in=matching, then=Value(1)), default=Value(0), output_field=IntegerField())

    def in_title(self, query: ParsedQuery):
        """How many of the query's ideas (word groups) appear in the title, the vector's weight A."""
        counts = []
        for group in query.groups:
            in_title = SearchQuery(self._in_title_text(group), search_type="raw", config=self.config)
            counts.append(
                Case(
                    When(search_vector=in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
                )
            )
        return sum(counts[1:], counts[0]) if counts else Value(0)

    def rank(
        self,
        queryset: QuerySet,
        match,
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
        narrowed = self.narrow(queryset, match) if where is None else queryset.filter(where)
        all_words = self.preferred(prefer, within=queryset)
        ids = candidate_ids(narrowed, all_words)
        candidate = IdIn([*ids, *also])
        if ideas is not None and ideas.groups:
            rank, title, ranked_coverage = self._scores(queryset.db, [*ids, *also], ideas, typed, version)
            score, in_title = NumberById(rank), Cast(NumberById(title), IntegerField())
        else:
            score = SearchRank(F("search_vector"), match, weights=WEIGHTS)
            if boost is not None:
                score = score + BOOST_AS_TYPED * SearchRank(F("search_vector"), boost, weights=WEIGHTS)
            ranked_coverage = None
        snippet = SearchHeadline(
            Concat("summary", Value(" "), "search_body", output_field=TextField()),
            match,
            config=self.config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        ranked = narrowed.annotate(
            search_candidate=flag(candidate),
            search_all_words=all_words,
            search_in_title=only_for(candidate, in_title if in_title is not None else Value(0), Value(0)),
            search_rank=only_for(candidate, score, Value(0.0, output_field=FloatField())),
            search_snippet=only_for(candidate, snippet, F("summary")),
        ).order_by(*ORDER)
        ranked.query.search_coverage = ranked_coverage
        return remember(ranked, [*ids, *also])

    def coverage(self, ranked: QuerySet, query: ParsedQuery):
        """How many of the query's ideas each of ``ranked``'s candidates has: read with
        their rank (_scores) where they were ranked by rarity."""
        counted = getattr(ranked.query, "search_coverage", None)
        return (
            Cast(NumberById(counted), IntegerField()) if counted is not None else self.groups_matched(query)
        )

    def _scores(
        self, using: str, ids: list[int], ideas: ParsedQuery, typed: ParsedQuery | None, version: str
    ) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
        """For each of ``ids``, in a statement of its own: its rank (the sum of each term's
        ts_rank times its rarity, and times BOOST_AS_TYPED + 1 as typed), how many of the
        ideas are in its title (as in_title) and how many it has (as groups_matched).
        Inside the ranked query the rank is used three times (the score, the best rank
        it is scaled by, the order), the others twice, and each use of each term read
        the row's tsvector out of its TOAST table again: 17 terms of "shared legal
        services between councils" over 200 candidates cost 24 ms there for the rank
        alone, against 2 ms here, where each row's tsvector is read once."""
        if not ids:
            return {}, {}, {}
        terms = list(dict.fromkeys(term for group in ideas.groups for term in group))
        as_typed = {term for group in (typed.groups if typed else ()) for term in group}
        rare = rarity(terms, version=version)
        ranks, params = [], []
        for term in terms:
            ranks.append(f"%s * ts_rank(%s::float4[], v, {self._tsquery(term)})")
            params += [
                rare[term] * (1 + BOOST_AS_TYPED * (term in as_typed)),
                WEIGHTS,
                self.config,
                " ".join(term),
            ]
        titles, has = [], []
        for group in ideas.groups:
            titles.append("(v @@ to_tsquery(%s::regconfig, %s))::int")
            params += [self.config, self._in_title_text(group)]
        for group in ideas.groups:
            has.append(f"(v @@ ({' || '.join(self._tsquery(term) for term in group)}))::int")
            params += [value for term in group for value in (self.config, " ".join(term))]
        sql = (
            f"SELECT id, {' + '.join(ranks)}, {' + '.join(titles)}, {' + '.join(has)} "  # noqa: S608
            f"FROM (SELECT id, search_vector || ''::tsvector AS v "
            f"FROM {CaseStudy._meta.db_table} WHERE id = ANY(%s) OFFSET 0) AS candidates"
        )
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [*params, sorted(set(ids))])
            rows = cursor.fetchall()
        return tuple({int(row[0]): float(row[column]) for row in rows} for column in (1, 2, 3))

    @staticmethod
    def _in_title_text(group) -> str:
        """A raw tsquery for any of the group's terms among the title's words (weight A)."""
        return " | ".join(" <-> ".join(f"{word}:A" for word in term) for term in group)

    @staticmethod
    def _kind(term: Term) -> str:
        return "phrase" if len(term) > 1 else "plain"

    def _tsquery(self, term: Term) -> str:
        """The SQL of _term_query, for a statement of our own."""
        return f"{self._kind(term)}to_tsquery(%s::regconfig, %s)"

    def _term_query(self, term: Term):
        return SearchQuery(" ".join(term), search_type=self._kind(term), config=self.config)

    def clear(self) -> None:
        pass

    def store(self, batch) -> None:
        vector = (
            SearchVector("title", weight="A", config=self.config)
            + SearchVector("summary", "search_tags", weight="B", config=self.config)
            + SearchVector("search_body", weight="C", config=self.config)
        )
        CaseStudy.objects.filter(pk__in=[study.pk for study in batch]).update(search_vector=vector)

    def store_words(self, rows) -> None:
        pass  # the trigram index on the table itself keeps up

    def forget_words(self, pks) -> None:
        pass  # likewise

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        return list(
            SearchWord.objects.filter(word__trigram_similar=word).values_list("word", "frequency")[:50]
        )
