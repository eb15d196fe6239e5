"""Search behaves the same on SQLite and PostgreSQL: these run on both."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy
from search.engine import highlight_html, search
from search.query import MAX_QUERY_LENGTH, parse, similarity
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def slugs(text: str, limit: int = 10) -> list[str]:
    return [study.slug for study in search(CaseStudy.objects.published(), text).queryset[:limit]]


@pytest.fixture
def shelves(db):
    CaseStudyFactory(
        slug="legal", title="A shared legal service for three districts",
        summary="Solicitors serve three councils.", approach="One legal team.",
    )  # fmt: skip
    CaseStudyFactory(
        slug="waste", title="Joint waste crews", summary="Bins collected by one crew.",
        approach="A legal agreement covers the depot.", reform_type_slugs=["shared-services"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="library", title="Community libraries", summary="Volunteers run library hubs.",
        reform_type_slugs=["community-assets"], theme_slugs=["libraries"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="energy", title="A council energy company", summary="Cheaper fuel for tenants.",
        outcomes="The company closed with losses.", status="stopped", reform_type_slugs=["trading-company"],
        theme_slugs=["climate-and-energy"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="draft-legal", title="Secret legal draft", publication_state="draft", published_at=None
    )


def test_a_title_match_outranks_a_body_match(shelves):
    assert slugs("legal")[:2] == ["legal", "waste"]


def test_drafts_are_never_found(shelves):
    assert "draft-legal" not in slugs("legal secret")


def test_words_are_stemmed(shelves):
    assert slugs("libraries")[0] == "library"
    assert slugs("companies")[0] == "energy"


def test_officers_words_find_the_shelves_words(shelves):
    assert slugs("joint solicitors")[0] == "legal"  # "joint" also means "shared"
    assert "waste" in slugs("rubbish collection")


def test_a_misspelt_word_is_corrected_and_suggested(shelves):
    results = search(CaseStudy.objects.published(), "libary hubs")

    assert results.suggestion == "library hubs"
    assert [study.slug for study in results.queryset][:1] == ["library"]


def test_quoted_phrases_must_appear_together(shelves):
    assert slugs('"legal service"') == ["legal"]
    assert slugs('"service legal"') == []


def test_a_minus_word_excludes(shelves):
    assert "waste" not in slugs("legal -depot")
    assert "legal" in slugs("legal -depot")


def test_or_offers_alternatives(shelves):
    assert set(slugs("energy or volunteers")) == {"energy", "library"}


def test_council_names_and_vocabulary_are_searched(db):
    council = CouncilFactory(name="Wigan", official_name="Wigan Metropolitan Borough Council")
    CaseStudyFactory(slug="deal", title="The Deal", summary="A new relationship.", lead=council)

    assert slugs("wigan") == ["deal"]
    assert slugs("waste and environment") == ["deal"]  # the factory's theme


def test_former_council_names_find_the_successors_reforms(db):
    old = CouncilFactory(name="Carlisle")
    new = CouncilFactory(name="Cumberland")
    old.replaced_by.add(new)
    CaseStudyFactory(slug="carlisle", title="Culture change", lead=old)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert slugs("cumberland") == ["carlisle"]


@pytest.mark.parametrize(
    "text",
    [
        'NEAR("a" "b")', '"unbalanced', "(((", "legal AND OR NOT", "*", "^", "-", '""', "title:legal",
        "'; DROP TABLE casestudies_casestudy; --", "<script>alert(1)</script>", "💥🏛️", "\x00legal",
        "legal" * 3000, "‮legal", "a" * 101, "OR", "or or or", "-legal -waste",
    ],
)  # fmt: skip
def test_any_text_is_a_valid_query(shelves, client, text):
    list(search(CaseStudy.objects.published(), text).queryset)

    response = client.get(reverse("casestudies:list"), {"q": text})

    assert response.status_code == 200


def test_a_long_query_is_cut_with_a_notice(shelves, client):
    response = client.get(reverse("casestudies:list"), {"q": "legal " * 100})

    assert f"longer than {MAX_QUERY_LENGTH} characters".encode() in response.content


def test_a_query_that_matches_nothing_says_so_and_offers_a_way_out(shelves, client):
    html = client.get(reverse("casestudies:list"), {"q": "submarine", "status": "stopped"}).content.decode()

    assert "0 case studies" in html
    assert "No case studies match “submarine” with the filters you chose." in html
    assert "remove the filter Status: Stopped" in html


def test_the_suggestion_is_offered_on_the_page(shelves, client):
    html = client.get(reverse("casestudies:list"), {"q": "libary"}).content.decode()

    assert 'Did you mean <a class="govuk-link" href="?q=library">library</a>?' in html


def test_snippets_highlight_matches_and_escape_everything_else(db, client):
    CaseStudyFactory(slug="x", title="Escaping", summary="<b>bold</b> legal & fair <script>x</script>")

    html = client.get(reverse("casestudies:list"), {"q": "legal"}).content.decode()

    snippet = html.split('class="govuk-body govuk-!-margin-bottom-1 app-snippet">')[1].split("</p>")[0]
    assert "<mark>legal</mark>" in snippet
    # Typed markup is shown escaped (SQLite) or left out (PostgreSQL's headline drops tags), never live.
    assert "<b>" not in snippet and "<script>" not in snippet
    assert "bold" in snippet


def test_highlight_trusts_only_its_own_markers():
    assert highlight_html("\x02a\x03 <mark>b</mark>") == "<mark>a</mark> &lt;mark&gt;b&lt;/mark&gt;"


def test_the_parser_reads_websearch_syntax():
    query = parse('shared "legal service" -waste or bins for')

    assert query.groups == ((("shared",),), (("legal", "service"), ("bins",)))  # "for" is a stop word
    assert query.negatives == (("waste",),)


def test_similarity_matches_pg_trgm():
    assert similarity("word", "word") == 1.0
    assert round(similarity("libary", "library"), 2) == 0.5


def test_the_index_survives_a_rebuild_and_edits(shelves):
    study = CaseStudy.objects.get(slug="energy")
    study.title = "A municipal electricity supplier"
    study.save()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert slugs("electricity") == ["energy"]


def test_a_search_with_three_filters_costs_a_constant_number_of_queries(client):
    url = (
        reverse("casestudies:list") + "?q=waste&reform_type=shared-services&status=implemented&nation=England"
    )
    for _ in range(3):
        CaseStudyFactory(reform_type_slugs=["shared-services"])
    few = count_queries(client, url)
    for _ in range(30):
        CaseStudyFactory(reform_type_slugs=["shared-services"], partners_councils=[CouncilFactory()])

    assert count_queries(client, url) == few


@pytest.mark.django_db(transaction=True)
def test_the_index_survives_a_migration_that_rebuilds_the_table(shelves):
    from django.db import connection

    field = CaseStudy._meta.get_field("title")
    wider = field.clone()
    wider.set_attributes_from_name("title")
    wider.max_length = 250
    # On SQLite this remakes the whole case study table, as later migrations will.
    with connection.schema_editor() as editor:
        editor.alter_field(CaseStudy, field, wider)
    try:
        call_command("migrate", verbosity=0)  # post_migrate checks the search tables
        CaseStudyFactory(slug="after", title="Rebuilt shelves", summary="Found after the rebuild.")

        assert slugs("legal")[0] == "legal"
        assert slugs("rebuilt") == ["after"]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(CaseStudy, wider, field)


def test_rebuilding_twice_keeps_one_entry_per_word(shelves):
    from search.models import SearchWord

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = SearchWord.objects.count()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SearchWord.objects.count() == first
    assert search(CaseStudy.objects.published(), "libary").suggestion == "library"


def test_the_word_as_typed_counts_more_than_its_synonym(db):
    # Two case studies alike but for one word of the same group (waste: recycling,
    # rubbish), the synonym's the newer, which wins a tie. Leaving a word out keeps
    # meaning out of it (the searcher is choosing the words), so only the boost for
    # the words as typed can put the other first.
    for number in range(4):
        CaseStudyFactory(slug=f"other-{number}", title=f"Depot number {number}", summary="Lorries and crews.")
    CaseStudyFactory(
        slug="typed", title="Collections in the villages", summary="A weekly recycling round, every street."
    )
    CaseStudyFactory(
        slug="synonym", title="Collections in the villages", summary="A weekly rubbish round, every street."
    )

    assert slugs("weekly recycling round -landfill")[:2] == ["typed", "synonym"]


def test_a_rare_word_counts_more_than_a_common_one(db):
    # Six council companies say "company" three times each; one mutual says "mutual"
    # once, in the same field. A word nearly every case study uses says little about
    # which one the officer wants: the mutual comes first. ("or": the searcher chooses
    # the words, so meaning is left out and only the words rank.)
    for number in range(6):
        CaseStudyFactory(
            slug=f"company-{number}", title=f"Depot number {number}",
            summary="The company runs the company depot for the company board.",
        )  # fmt: skip
    CaseStudyFactory(slug="mutual", title="Village libraries", summary="Staff run the libraries as a mutual.")

    assert slugs("mutual or company")[0] == "mutual"


@pytest.mark.parametrize(
    "text",
    [
        "legal",
        "shared -waste",
        "-legal",
        '"legal service"',
        "legal or library",
        "libary",
        "legal waste energy",
    ],
)
def test_pages_that_count_matches_count_what_the_list_shows(shelves, text):
    # The figures and the map decide a search's matches without ranking them.
    published = CaseStudy.objects.published()
    listed = set(search(published, text).queryset.values_list("slug", flat=True))

    assert set(search(published, text, ranked=False).queryset.values_list("slug", flat=True)) == listed
