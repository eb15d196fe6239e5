"""Search by the words and by their meaning, fused into one ranking.

Two retrievals answer a query:

- the words: full text (search.backends), with officers' synonyms and phrases
  (search.vocabulary); "strict" when a case study has every idea of the query,
  "loose" when it has only some of them (searched for only when fewer than
  ENOUGH_RESULTS have them all);
- the meaning: the case studies whose vectors (search.vectors) are nearest the
  query's, however they word it.

Who is found: every case study with all the words; one with some of them only
if it is also near the query in meaning (MIN_MEANING_WITH_WORDS); one with none
of them only if it is near enough on its own (MIN_MEANING_ALONE). So a query
about something not on the shelves finds nothing, however many of its words are
common ones, and a case study that says the same thing in other words is found.

How they are ranked, a weighted sum computed by the database: the share of the
query's ideas a case study has (WEIGHT_WORDS), the share in its title
(WEIGHT_TITLE), its full-text rank over the best rank of the matches
(WEIGHT_RANK), and how far its meaning is above the floor (WEIGHT_MEANING). A
case study with every word starts three quarters of a point ahead of one with half
of them, so exact words win where they exist and meaning orders and carries the
rest.

The floors and weights were chosen on the development half of
tests/search/relevance_queries.json, never on its test half.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, FloatField, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import Cast, Greatest

from search.backends.bounded import number_by_id
from search.embedding import embed_one
from search.vectors import vector_index

NEAREST = 200  # at most this many case studies come from the meaning side
MIN_MEANING_WITH_WORDS = 0.12
MIN_MEANING_ALONE = 0.25
WEIGHT_WORDS, WEIGHT_TITLE, WEIGHT_RANK, WEIGHT_MEANING = 1.5, 0.3, 1.0, 3.0
ORDER = ["-search_candidate", "-search_score", "-published_at", "-pk"]


@dataclass(frozen=True)
class Meaning:
    """The case studies near a query in meaning: id -> cosine similarity."""

    similar: dict[int, float] = field(default_factory=dict)
    available: bool = False  # False where no case study has a vector yet

    @property
    def alone(self) -> list[int]:
        """Near enough to be found without any of the words."""
        return sorted(pk for pk, value in self.similar.items() if value >= MIN_MEANING_ALONE)

    @property
    def with_words(self) -> list[int]:
        return sorted(self.similar)


def meaning_of(text: str, version: str) -> Meaning:
    index = vector_index(version)
    if not len(index):
        return Meaning()
    nearest = index.nearest(embed_one(text), limit=NEAREST, floor=MIN_MEANING_WITH_WORDS)
    return Meaning(similar=nearest, available=True)


def admitted(
    strict: Q, loose: Q | None, meaning: Meaning, *, among: QuerySet, most_words: Q | None = None
) -> Q:
    """Which case studies answer: all the words; some, if near in meaning; none,
    if nearer. Without meaning (a query choosing its words with quotes, "or" or
    "-", or no vectors yet), those with at least half the words (``most_words``).

    ``among``: every case study the condition may later be applied to (it is applied
    to other querysets than the one searched, such as the facet counts' with fewer
    filters), where those near in meaning with some of the words are looked for."""
    if not meaning.available:
        return strict if loose is None else strict | (loose & most_words)
    found = strict | Q(pk__in=meaning.alone)
    if loose is not None:
        # Asked now among the few near in meaning, and named by id: left as a condition
        # beside the words, PostgreSQL tested it on every case study with any of the
        # words, reading each one's text (8,300 of 10,000 for "goals planning", 50 ms),
        # where by id the indexes answer the whole condition. One query more for a
        # relaxed search, reading at most NEAREST case studies however many there are.
        near = among.filter(loose, pk__in=meaning.with_words).order_by().values_list("pk", flat=True)
        found |= Q(pk__in=list(near))
    return found


def similarity(meaning: Meaning):
    return number_by_id(meaning.similar)


def fused(ranked: QuerySet, meaning: Meaning, *, coverage, groups: int) -> QuerySet:
    """``ranked`` (a backend's ranking, with search_candidate, search_in_title and
    search_rank) ordered by the weighted sum, annotated with search_meaning and
    search_coverage (how many of the query's ideas each case study has)."""
    groups = max(groups, 1)
    share = 1.0 / groups
    words = Cast(F("search_coverage"), FloatField()) * share
    title = Cast(F("search_in_title"), FloatField()) * share
    rank = F("search_rank") / Greatest(F("search_best_rank"), Value(1e-9))
    above = Greatest(F("search_meaning") - Value(MIN_MEANING_WITH_WORDS), Value(0.0))
    meant = above / Value(1 - MIN_MEANING_WITH_WORDS)
    return (
        ranked.annotate(
            search_meaning=similarity(meaning),
            search_coverage=Case(When(search_candidate=1, then=coverage), default=Value(0)),
            search_best_rank=Window(Max("search_rank")),
        )
        .annotate(
            search_score=WEIGHT_WORDS * words
            + WEIGHT_TITLE * title
            + WEIGHT_RANK * rank
            + WEIGHT_MEANING * meant,
        )
        .order_by(*ORDER)
    )
