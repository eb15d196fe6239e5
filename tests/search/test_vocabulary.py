"""Officers' vocabulary: rows curators edit, phrases that count as one idea,
acronyms and spellings. These run on both databases."""

import pytest

from casestudies.models import CaseStudy
from search.admin import SynonymGroupForm
from search.engine import search
from search.models import SynonymGroup
from search.query import parse
from search.vocabulary import Vocabulary, find_phrases, widen
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def slugs(text: str) -> list[str]:
    return [study.slug for study in search(CaseStudy.objects.published(), text).queryset[:10]]


@pytest.fixture
def shelves(db):
    CaseStudyFactory(
        slug="bins", title="Refuse collection run by the council's own company",
        summary="Insourcing the bins when the contract ended.", approach="Staff moved across.",
    )  # fmt: skip
    CaseStudyFactory(
        slug="care", title="Fewer children taken from their families",
        summary="The number of looked-after children fell.", approach="Family group conferences.",
        reform_type_slugs=["demand-management"], theme_slugs=["children-and-families"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="s114", title="A housing company's loans", summary="The council issued a section 114 notice.",
        reform_type_slugs=["trading-company"], theme_slugs=["housing"],
    )  # fmt: skip


def test_a_phrase_finds_what_it_means_in_other_words(shelves):
    assert slugs("bringing waste collection back in house")[0] == "bins"


def test_a_group_of_phrases_only_still_fires(shelves):
    assert slugs("children in care")[0] == "care"


def test_everyday_words_for_council_bankruptcy_find_a_section_114_notice(shelves):
    assert slugs("council went bankrupt")[0] == "s114"
    assert slugs("S114")[0] == "s114"


def test_a_phrase_stands_for_one_idea_of_the_query():
    vocabulary = Vocabulary.of([["insourcing", "back in-house"]])
    understood = find_phrases("waste back in house", vocabulary)
    widened = widen(parse(understood.text), understood, {}, vocabulary)

    assert widened.groups == ((("waste",),), (("back", "in-house"), ("insourcing",)))


def test_an_acronym_in_capitals_counts_only_where_typed_so():
    vocabulary = Vocabulary.of([["SEND", "special educational needs"]])

    def alternatives(text: str) -> tuple:
        understood = find_phrases(text, vocabulary)
        return widen(parse(understood.text), understood, {}, vocabulary).groups

    assert ("special", "educational", "needs") in alternatives("SEND transport")[0]
    assert alternatives("send transport")[0] == (("send",),)


def test_a_curators_new_group_changes_searches_at_once(shelves):
    assert slugs("municipalisation") == []

    SynonymGroup.objects.create(terms="municipalisation\ninsourcing", note="Bringing services back")

    assert slugs("municipalisation") == ["bins"]


def test_a_word_of_the_vocabulary_is_not_put_right_as_a_word_of_the_shelves(shelves):
    CaseStudyFactory(slug="law", title="Shared lawyers", summary="One legal team.", approach="Lawyers moved.")
    SynonymGroup.objects.filter(terms__contains="layers").delete()  # the seeded "layers of management"
    assert search(CaseStudy.objects.published(), "layers").suggestion == "lawyers"  # a word nobody uses

    SynonymGroup.objects.create(terms="layers of management\ndelayering", note="Fewer managers")

    found = search(CaseStudy.objects.published(), "layers")
    assert found.suggestion is None
    assert "law" not in slugs("layers")


def test_the_seeded_vocabulary_holds_the_old_constants_and_the_new_groups():
    entries = {line for group in SynonymGroup.objects.all() for line in group.terms.splitlines()}

    assert {"joint", "shared", "looked-after", "trading standards"} <= entries  # from SYNONYM_GROUPS
    new = {"back in-house", "spin out", "council bankruptcy", "asc", "SEND", "latc", "ict", "s114"}
    assert new <= entries


@pytest.mark.parametrize(
    ("terms", "error"),
    [("insourcing", "at least two"), ("insourcing\ninsourcing", "at least two"), ("a\n!!!", "no letters")],
)
def test_the_admin_refuses_a_group_that_cannot_widen_anything(terms, error):
    form = SynonymGroupForm(data={"terms": terms, "note": ""})

    assert not form.is_valid()
    assert error in str(form.errors["terms"])
