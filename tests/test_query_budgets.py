"""Every public page costs the same number of queries with 10 case studies as
with 200, for an anonymous visitor and for a signed-in officer, each page built
from nothing: the first request after the shelves change, page cache off and
no facet counts cached (what a cached copy costs is counted in
tests/browse/test_page_cache.py).

The shelves are made as the benchmark makes them (generate_bench_data over the
council register), so the pages see realistic case studies: several councils,
types and themes each, related reforms worked out, figures counted."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy, CouncilRole, ReformType, Theme
from casestudies.shelf_version import shelves_changed
from councils.models import Council, CouncilType
from tests.factories import officer_of
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

SEARCH = "?q=council+servises"  # a misspelling, corrected
FILTERED = "?q=shared+services&nation=England&status=implemented&evidence=2"

# Page -> (queries for an anonymous visitor, for a signed-in officer). Signed
# in, a page also reads the session, the user and their councils (and saves the
# session only every few minutes: core.middleware.SlidingSessionMiddleware); a
# list also reads the council an officer starts "councils like mine" from; the
# feeds and the API never read the session, so cost the same signed in or not. The
# directory asks whether postcodes are loaded (its postcode box), and by name
# which abolished councils the name matches and what replaced them. A search
# whose every word is in the vocabulary ("shared services") does not look its
# words up as possible misspellings, so costs one query fewer than "servises".
# Writing to the cache (a list's facet counts, the API's rate counts) is one upsert
# (core.db_cache), here inside the test's transaction with a savepoint around it, and
# counted with the table's size read on every write, as tests/settings.py has it.
# A list reads each vocabulary once, for its filter panel and the filters in use, and
# of the terms of its case studies only those it names: none on the list (a search
# names a related idea among them), the reform types on the home and council pages.
BUDGETS = {
    "home": (7, 9),  # with the featured collections
    "about": (0, 2),
    "accessibility": (0, 2),
    "privacy": (0, 2),
    "cookies": (0, 2),
    "list": (11, 14),
    "list, page 2": (11, 14),
    # Their facets count the ids the search (or "councils like") matches, from the facet
    # table (browse.facet_table), read here in the request, in a thread of its own in production.
    "search": (24, 27),
    "search with three filters": (22, 25),
    "councils like one": (23, 26),
    "case study": (8, 11),
    "council directory": (3, 5),
    "council directory by name": (5, 7),
    "council": (10, 12),
    "feed": (4, 4),
    "search feed": (10, 10),
    "reform type feed": (5, 5),
    "theme feed": (5, 5),
    "council feed": (5, 5),
    "API root": (5, 5),
    "API list": (12, 12),
    "API search": (18, 18),
    "API case study": (11, 11),
    "API councils": (9, 9),
    "API council": (8, 8),
    "API reform types": (6, 6),
    "API themes": (6, 6),
    "export page": (1, 3),
    "sitemap": (5, 7),  # with the collections
    "map": (6, 8),
    "map of a search with three filters": (11, 13),  # the matches counted, not ranked
}

# The pages that rank a search. Every page that searches also reads how many case
# studies use each of its words, and first after a change how many are public
# (search.usage): a loose match leaves out the words most case studies use, and on
# PostgreSQL the ranking weighs each word by its rarity (reading them again costs
# nothing). A ranked search reads its candidates' scores in a statement of its own on
# both databases: on SQLite FTS5 gives bm25 only to a row of its own match, and asked
# inside the ranked query it starts the match again for every row
# (search.backends.sqlite); on PostgreSQL each use of each word's ts_rank inside the
# ranked query read the row's tsvector from its TOAST table again, where a statement of
# its own reads it once (search.backends.postgres).
RANKED = {"search", "search with three filters", "councils like one", "search feed", "API search"}
SEARCHING = {*RANKED, "map of a search with three filters"}


def budgets(signed_in: bool) -> dict[str, int]:
    return {
        name: pair[signed_in] + 2 * (name in SEARCHING) + (name in RANKED) for name, pair in BUDGETS.items()
    }


def addresses() -> dict[str, str]:
    study = CaseStudy.objects.published().order_by("pk").first()
    # A district: a county or a combined authority lists its councils too.
    council = (
        Council.objects.filter(case_study_roles__role=CouncilRole.LEAD, case_study_roles__isnull=False)
        .exclude(council_type__in=[CouncilType.COUNTY, CouncilType.COMBINED_AUTHORITY])
        .order_by("pk")
        .first()
    )
    code = council.code.lower()
    reform_type, theme = ReformType.objects.order_by("pk").first(), Theme.objects.order_by("pk").first()
    listing = reverse("casestudies:list")
    return {
        "home": reverse("home"),
        "about": reverse("about"),
        "accessibility": reverse("accessibility"),
        "privacy": reverse("privacy"),
        "cookies": reverse("cookies"),
        "list": listing,
        "list, page 2": listing + "?page=2",
        "search": listing + SEARCH,
        "search with three filters": listing + FILTERED,
        "councils like one": listing + f"?q=shared&like={code}",
        "case study": study.get_absolute_url(),
        "council directory": reverse("councils:directory"),
        "council directory by name": reverse("councils:directory") + "?name=borough",
        "council": council.get_absolute_url(),
        "feed": reverse("feed-all"),
        "search feed": reverse("opendata:feed-search") + FILTERED,
        "reform type feed": reverse("feed-reform-type", kwargs={"slug": reform_type.slug}),
        "theme feed": reverse("feed-theme", kwargs={"slug": theme.slug}),
        "council feed": reverse("feed-council", kwargs={"code": code}),
        "API root": reverse("api:root"),
        "API list": reverse("api:case-study-list"),
        "API search": reverse("api:case-study-list") + FILTERED,
        "API case study": reverse("api:case-study-detail", kwargs={"slug": study.slug}),
        "API councils": reverse("api:council-list"),
        "API council": reverse("api:council-detail", kwargs={"code": code}),
        "API reform types": reverse("api:reform-type-list"),
        "API themes": reverse("api:theme-list"),
        "export page": reverse("opendata:export"),
        "sitemap": reverse("sitemap"),
        "map": reverse("maps:map"),
        "map of a search with three filters": reverse("maps:map") + FILTERED,
    }


@pytest.fixture(params=[10, 200], ids=["10 case studies", "200 case studies"])
def shelves(request, register_csv, django_db_blocker):
    call_command("import_councils", str(register_csv), stdout=io.StringIO())
    call_command("generate_bench_data", case_studies=request.param, seed=request.param, stdout=io.StringIO())
    return request.param


def costs(client) -> dict[str, int]:
    pages = addresses()
    for address in pages.values():
        client.get(address)  # what each process reads once (vocabulary, vectors) is read
    found = {}
    for name, address in pages.items():
        shelves_changed()  # as a publish does: nothing cached about the shelves is used again
        found[name] = count_queries(client, address)
    return found


def test_every_public_page_costs_the_same_for_an_anonymous_visitor(client, shelves, no_page_cache):
    assert costs(client) == budgets(signed_in=False)


def test_every_public_page_costs_the_same_for_a_signed_in_officer(client, shelves, no_page_cache, settings):
    settings.SESSION_REFRESH_SECONDS = 3600  # however long the run takes, no page saves the session
    client.force_login(officer_of(Council.objects.order_by("pk").first(), "officer@example.gov.uk"))

    assert costs(client) == budgets(signed_in=True)
