"""Full-text search over case studies, the same behaviour on two databases.

One public function, ``search(queryset, words)``, narrows a queryset to the
case studies that answer the words, ranks them and annotates each with a
highlighted snippet. Inside there is one branch for PostgreSQL (a weighted
tsvector with a GIN index, English stemming, pg_trgm for misspellings) and one
for SQLite (an FTS5 table with the Porter stemmer, bm25 with the same weights,
an FTS5 trigram table for misspellings). Nothing outside this file knows which
database it is on.

Both branches share the parts that decide what a query means, so the same
words give the same answer on both:

- quoted phrases, ``-word`` to exclude and ``or`` between words, as in
  PostgreSQL's websearch syntax; every other character is ignored, so no input
  is an error;
- officers' words are widened with the synonyms they use ("joint" also finds
  "shared"), and a word that appears nowhere in the shelves is also searched
  for as the nearest word that does ("libary" finds "library");
- all words must match; when nothing matches them all, case studies that
  match some are shown, and the page says so.
"""

import html
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations, islice

import nh3
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from casestudies.richtext import render_markdown

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_SIMILARITY = 0.3  # pg_trgm's default: how alike two words must be to be candidates
MIN_CORRECTION_SIMILARITY = 0.5  # how alike a correction must be to be searched for too
ENOUGH_RESULTS = 5  # fewer strict matches than this, and near matches are added
MAX_COMBINATIONS = 70
BOOST_AS_TYPED = 2  # a match on the words as typed counts this many times a synonym's
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"

# Weights for a match in the title, in the summary and tags (councils,
# vocabulary, partners), and in the body: a title match outranks a body match.
WEIGHT_TITLE, WEIGHT_TAGS, WEIGHT_BODY = 1.0, 0.4, 0.2

FTS_TABLE = "casestudies_fts"
WORDS_FTS_TABLE = "casestudies_searchword_fts"

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

# Words officers use for the same thing. Each entry widens a query word with
# the alternatives after it (a word or a phrase); the map is symmetric for
# single words.
SYNONYM_GROUPS = [
    ["joint", "shared", "sharing", "combined", "collaboration", "partnership"],
    ["council", "councils", "authority", "authorities", "borough", "district"],
    ["merger", "merge", "merged", "reorganisation", "amalgamation", "unitary"],
    ["outsourcing", "outsourced", "contract", "contracted", "commissioning", "procurement"],
    ["insourcing", "insourced", "in-house"],
    ["mutual", "spin-out", "social enterprise", "trust", "company"],
    ["company", "trading", "commercial", "teckal"],
    ["bins", "waste", "refuse", "recycling", "rubbish"],
    ["library", "libraries", "hubs", "hub"],
    ["children", "child", "kids", "families", "young people"],
    ["looked-after", "children in care", "care proceedings"],
    ["elderly", "older people", "adult social care", "social care"],
    ["prevention", "early help", "early intervention", "demand management", "demand"],
    ["digital", "online", "website", "channel shift", "self-service", "agile"],
    ["savings", "saving", "efficiency", "cost", "costs", "budget", "cuts"],
    ["legal", "law", "lawyers", "solicitors"],
    ["homelessness", "homeless", "housing"],
    ["regulatory", "trading standards", "environmental health", "licensing"],
    ["energy", "fuel", "climate", "carbon"],
    ["data", "analytics", "intelligence", "predictive"],
    ["culture", "behaviours", "staff engagement", "leadership"],
    ["devolution", "devolved", "city deal", "combined authority"],
    ["integration", "integrated", "nhs", "health"],
    ["place-based", "total place", "community budgets", "place"],
    ["co-operative", "cooperative", "coop", "co-op"],
    ["volunteers", "volunteering", "community-run", "community groups", "community managed"],
    ["transport", "buses", "bus", "rail", "trams"],
    ["welsh", "wales"],
    ["scottish", "scotland"],
    ["english", "england"],
    ["revenues", "benefits", "council tax", "business rates"],
    ["back office", "back-office", "support services", "hr", "finance", "it"],
]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


def _build_synonyms() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for group in SYNONYM_GROUPS:
        alternatives = [tuple(_words(entry)) for entry in group]
        for entry in alternatives:
            if len(entry) == 1:
                table.setdefault(entry[0], [])
                table[entry[0]] += [
                    alt for alt in alternatives if alt != entry and alt not in table[entry[0]]
                ]
    return table


SYNONYMS = _build_synonyms()


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


def widen(query: ParsedQuery, corrections: dict[str, str], *, synonyms: bool = True) -> ParsedQuery:
    """Add spelling corrections, and synonyms unless told not to, to each group."""
    groups = []
    for group in query.groups:
        terms = list(group)
        for term in group:
            if len(term) != 1:
                continue
            word = term[0]
            if word in corrections:
                terms.append((corrections[word],))
            if not synonyms:
                continue
            for alternative in SYNONYMS.get(word, []) + SYNONYMS.get(corrections.get(word, ""), []):
                if alternative not in terms:
                    terms.append(alternative)
        groups.append(tuple(terms))
    return ParsedQuery(tuple(groups), query.negatives)


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(), computed the same way for both databases."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0


# ---------------------------------------------------------------------------
# The public function


@dataclass
class SearchResults:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    relaxed: bool = False
    suggestion: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    _match: object = None

    @property
    def active(self) -> bool:
        return self._match is not None

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Apply the same decided search to another queryset (for facet counts),
        without ranking or snippets."""
        if self._match is None:
            return queryset
        return _backend().narrow(queryset, self._match)


def search(queryset: QuerySet, words: str | None) -> SearchResults:
    """Narrow ``queryset`` to what answers ``words``, best first, each row
    annotated with ``search_rank`` and ``search_snippet`` (highlights marked
    with HIGHLIGHT_START and HIGHLIGHT_STOP; see ``highlight_html``)."""
    text, truncated = clean_query(words)
    parsed = parse(text)
    if parsed.is_empty:
        return SearchResults(queryset=queryset, query=text, truncated=truncated)
    backend = _backend()
    corrections = _corrections(parsed.words())
    widened = widen(parsed, corrections)
    strict = backend.compile(widened, require_all=True)
    match, prefer, relaxed = strict, None, False
    loose = _most_of(widened)
    if loose is not None and backend.narrow(queryset, strict)[:ENOUGH_RESULTS].count() < ENOUGH_RESULTS:
        # Few case studies use all the words: add those that use most of
        # them, after the ones that use them all.
        match = backend.compile_any([backend.compile(part, require_all=True) for part in loose])
        prefer, relaxed = strict, True
    # The words as typed (and corrected) count more than their synonyms.
    typed = widen(parsed, corrections, synonyms=False)
    as_typed = backend.compile(typed, require_all=False)
    suggestion = None
    if corrections:
        suggestion = " ".join(corrections.get(word, word) for word in _words(text))
    return SearchResults(
        queryset=backend.rank(
            queryset, match, prefer=prefer, boost=as_typed, in_title=backend.in_title(widened)
        ),
        query=text,
        truncated=truncated,
        relaxed=relaxed,
        suggestion=suggestion,
        corrections=corrections,
        _match=match,
    )


def _most_of(query: ParsedQuery) -> list[ParsedQuery] | None:
    """The ways to match at least half of a query's word groups (rounded
    up), or None where that is the whole query or too many combinations."""
    count = len(query.groups)
    needed = max(1, math.ceil(count / 2))
    if count < 2 or needed == count or math.comb(count, needed) > MAX_COMBINATIONS:
        return None
    return [
        ParsedQuery(groups=subset, negatives=query.negatives) for subset in combinations(query.groups, needed)
    ]


def highlight_html(snippet: str) -> str:
    """Escape a snippet completely, then turn only our own markers into <mark>."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


def _corrections(words: list[str]) -> dict[str, str]:
    from casestudies.models import SearchWord

    unknown = set(words) - set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    unknown = {word for word in unknown if len(word) >= 4 and not word.isdigit()}
    corrections = {}
    backend = _backend()
    for word in sorted(unknown):
        candidates = backend.similar_words(word)
        scored = sorted(
            ((similarity(word, candidate), frequency, candidate) for candidate, frequency in candidates),
            reverse=True,
        )
        if scored and scored[0][0] >= MIN_CORRECTION_SIMILARITY:
            corrections[word] = scored[0][2]
    return corrections


# ---------------------------------------------------------------------------
# Keeping the index in step


def document_for(study) -> tuple[str, str]:
    """The tags (councils current and former with their aliases, vocabulary,
    partners) and the body (the sections as plain text) a case study is searched by."""
    names: list[str] = []
    for link in study.council_roles.all():
        council = link.council
        names += [council.name, council.official_name, council.nation, council.region]
        names += [alias.name for alias in council.aliases.all()]
        names += [other.name for other in council.predecessors.all()]
        names += [other.name for other in council.replaced_by.all()]
    names += [term.name for term in study.reform_types.all()]
    names += [term.name for term in study.themes.all()]
    names += list(study.partners)
    tags = " · ".join(dict.fromkeys(name for name in names if name))
    sections = [study.challenge, study.approach, study.outcomes, study.lessons]
    body = "\n".join(_plain(section) for section in sections if section)
    return tags, body


def _plain(markdown_text: str) -> str:
    rendered = render_markdown(markdown_text)
    return html.unescape(nh3.clean(re.sub(r"<(/?)(p|li|h\d|br)\b", r" <\1\2", rendered), tags=set())).strip()


def index_case_studies(ids=None) -> int:
    """Rebuild the search documents of the given case studies (all when None)."""
    from casestudies.models import CaseStudy

    studies = CaseStudy.objects.prefetch_related(
        "council_roles__council__aliases",
        "council_roles__council__predecessors",
        "council_roles__council__replaced_by",
        "reform_types",
        "themes",
    ).order_by("pk")
    if ids is not None:
        studies = studies.filter(pk__in=list(ids))
    backend = _backend()
    done = 0
    iterator = studies.iterator(chunk_size=500)
    word_counts: Counter = Counter()
    with transaction.atomic():
        if ids is None:
            backend.clear()
        while batch := list(islice(iterator, 500)):
            for study in batch:
                study.search_tags, study.search_body = document_for(study)
            CaseStudy.objects.bulk_update(batch, ["search_tags", "search_body"])
            backend.store(batch)
            _add_words(batch, word_counts if ids is None else None)
            done += len(batch)
        if ids is None:
            _replace_words(word_counts)
    from casestudies.freshness import shelves_changed

    shelves_changed()
    return done


def _add_words(batch, full_rebuild_counts: Counter | None) -> None:
    """Count the words of a batch: into ``full_rebuild_counts`` during a full
    rebuild, or straight into the word list when only some case studies changed."""
    from casestudies.models import SearchWord

    counts: Counter = Counter()
    for study in batch:
        text = " ".join([study.title, study.summary, study.search_tags, study.search_body])
        counts.update({word for word in _words(text) if len(word) >= 3 and word not in STOP_WORDS})
    if full_rebuild_counts is not None:
        full_rebuild_counts.update(counts)
        return
    existing = set(SearchWord.objects.filter(word__in=counts).values_list("word", flat=True))
    new = [SearchWord(word=word, frequency=count) for word, count in counts.items() if word not in existing]
    created = SearchWord.objects.bulk_create(new, batch_size=1000)
    _backend().store_words([(word.pk, word.word) for word in created])


def _replace_words(word_counts: Counter) -> None:
    from casestudies.models import SearchWord

    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, frequency=count) for word, count in word_counts.items()), batch_size=2000
    )
    _backend().store_words(SearchWord.objects.values_list("pk", "word"))


# ---------------------------------------------------------------------------
# PostgreSQL


class _PostgresBackend:
    config = "english"

    def compile(self, query: ParsedQuery, *, require_all: bool):
        from django.contrib.postgres.search import SearchQuery

        def term_query(term: Term):
            kind = "phrase" if len(term) > 1 else "plain"
            return SearchQuery(" ".join(term), search_type=kind, config=self.config)

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

    def narrow(self, queryset: QuerySet, match) -> QuerySet:
        return queryset.filter(search_vector=match)

    def preferred(self, prefer):
        if not prefer:
            return Value(1)
        return Case(When(search_vector=prefer, then=Value(1)), default=Value(0), output_field=IntegerField())

    def in_title(self, query: ParsedQuery):
        """How many of the query's ideas (word groups) appear in the title, the vector's weight A."""
        from django.contrib.postgres.search import SearchQuery

        counts = []
        for group in query.groups:
            terms = [" <-> ".join(f"{word}:A" for word in term) for term in group]
            in_title = SearchQuery(" | ".join(terms), search_type="raw", config=self.config)
            counts.append(
                Case(
                    When(search_vector=in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
                )
            )
        return sum(counts[1:], counts[0]) if counts else Value(0)

    def rank(self, queryset: QuerySet, match, *, prefer=None, boost=None, in_title=None) -> QuerySet:
        from django.contrib.postgres.search import SearchHeadline, SearchRank

        weights = [0.05, WEIGHT_BODY, WEIGHT_TAGS, WEIGHT_TITLE]
        score = SearchRank(F("search_vector"), match, weights=weights)
        if boost is not None:
            score = score + BOOST_AS_TYPED * SearchRank(F("search_vector"), boost, weights=weights)
        return (
            self.narrow(queryset, match)
            .annotate(
                search_all_words=self.preferred(prefer),
                search_in_title=in_title if in_title is not None else Value(0),
                search_rank=score,
                search_snippet=SearchHeadline(
                    Concat("summary", Value(" "), "search_body", output_field=TextField()),
                    match,
                    config=self.config,
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-search_all_words", "-search_in_title", "-search_rank", "-published_at", "-pk")
        )

    def clear(self) -> None:
        pass

    def store(self, batch) -> None:
        from django.contrib.postgres.search import SearchVector

        from casestudies.models import CaseStudy

        vector = (
            SearchVector("title", weight="A", config=self.config)
            + SearchVector("summary", "search_tags", weight="B", config=self.config)
            + SearchVector("search_body", weight="C", config=self.config)
        )
        CaseStudy.objects.filter(pk__in=[study.pk for study in batch]).update(search_vector=vector)

    def store_words(self, rows) -> None:
        pass  # the trigram index on the table itself keeps up

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        from casestudies.models import SearchWord

        return list(
            SearchWord.objects.filter(word__trigram_similar=word).values_list("word", "frequency")[:50]
        )


# ---------------------------------------------------------------------------
# SQLite


class _SQLiteBackend:
    def compile(self, query: ParsedQuery, *, require_all: bool) -> str:
        def term_expression(term: Term) -> str:
            return '"' + " ".join(term) + '"'

        groups = ["(" + " OR ".join(term_expression(term) for term in group) + ")" for group in query.groups]
        expression = (" AND " if require_all else " OR ").join(groups)
        if query.negatives:
            excluded = " OR ".join(term_expression(term) for term in query.negatives)
            if not expression:
                return f"NOT:{excluded}"
            expression = f"({expression}) NOT ({excluded})"
        return expression

    def compile_any(self, matches: list[str]) -> str:
        return " OR ".join(f"({match})" for match in matches)

    def narrow(self, queryset: QuerySet, match: str) -> QuerySet:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        if match.startswith("NOT:"):
            # Only exclusions: everything except what matches them.
            return queryset.exclude(pk__in=RawSQL(sql, [match[4:]]))
        return queryset.filter(pk__in=RawSQL(sql, [match]))

    def in_title(self, query: ParsedQuery):
        """How many of the query's ideas (word groups) appear in the title."""
        counts = [
            self.preferred("title : " + self.compile(ParsedQuery(groups=(group,)), require_all=True))
            for group in query.groups
        ]
        return sum(counts[1:], counts[0]) if counts else Value(0)

    def preferred(self, prefer: str | None):
        if not prefer:
            return Value(1)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        return Case(
            When(pk__in=RawSQL(sql, [prefer]), then=Value(1)), default=Value(0), output_field=IntegerField()
        )

    def rank(
        self,
        queryset: QuerySet,
        match: str,
        *,
        prefer: str | None = None,
        boost: str | None = None,
        in_title: str | None = None,
    ) -> QuerySet:
        narrowed = self.narrow(queryset, match)
        if match.startswith("NOT:"):
            return narrowed.annotate(search_rank=Value(0.0), search_snippet=F("summary")).order_by(
                "-published_at", "-pk"
            )
        table = queryset.model._meta.db_table
        weights = f"{WEIGHT_TITLE * 10}, {WEIGHT_TAGS * 10}, {WEIGHT_TAGS * 10}, {WEIGHT_BODY * 10}"
        where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id"
        rank_sql = f"COALESCE((SELECT -bm25({FTS_TABLE}, {weights}) {where}), 0)"
        rank_params = [match]
        if boost:
            rank_sql = f"{rank_sql} + {BOOST_AS_TYPED} * {rank_sql}"
            rank_params = [match, boost]
        snippet_sql = f"SELECT snippet({FTS_TABLE}, -1, %s, %s, ' … ', 24) {where}"
        return narrowed.annotate(
            search_all_words=self.preferred(prefer),
            search_in_title=in_title if in_title is not None else Value(0),
            search_rank=RawSQL(rank_sql, rank_params),
            search_snippet=RawSQL(snippet_sql, [HIGHLIGHT_START, HIGHLIGHT_STOP, match]),
        ).order_by("-search_all_words", "-search_in_title", "-search_rank", "-published_at", "-pk")

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
            cursor.execute(f"DELETE FROM {WORDS_FTS_TABLE}")  # noqa: S608

    def store(self, batch) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(s.pk,) for s in batch])  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, tags, body) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                [(s.pk, s.title, s.summary, s.search_tags, s.search_body) for s in batch],
            )

    def store_words(self, rows) -> None:
        rows = list(rows)
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {WORDS_FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows])  # noqa: S608
            cursor.executemany(f"INSERT INTO {WORDS_FTS_TABLE} (rowid, word) VALUES (%s, %s)", rows)  # noqa: S608

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        from casestudies.models import SearchWord

        grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not grams:
            return []
        match = " OR ".join(f'"{gram}"' for gram in grams)
        sql = f"SELECT rowid FROM {WORDS_FTS_TABLE} WHERE {WORDS_FTS_TABLE} MATCH %s"  # noqa: S608
        candidates = SearchWord.objects.filter(pk__in=RawSQL(sql, [match])).values_list("word", "frequency")
        return [
            (candidate, frequency)
            for candidate, frequency in candidates
            if similarity(word, candidate) >= MIN_SIMILARITY
        ]


def ensure_sqlite_tables(using: str = "default") -> None:
    """Create the FTS5 tables if they are missing and drop rows whose case
    study or word is gone. Run after every migrate and flush, so the index
    survives migrations that rebuild the case study table."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, summary, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_FTS_TABLE} USING fts5(word, tokenize = 'trigram')"
        )
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM casestudies_casestudy)"  # noqa: S608
        )
        cursor.execute(
            f"DELETE FROM {WORDS_FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM casestudies_searchword)"  # noqa: S608
        )


def _backend():
    return _PostgresBackend() if connection.vendor == "postgresql" else _SQLiteBackend()
