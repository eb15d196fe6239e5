"""What the list page says about each result: why it was found, a snippet from
the text that matched (never the list of tags), and a "Did you mean" that is a
real alternative. Through the page, on both databases."""

import pytest
from django.urls import reverse

from search.spelling import edits
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(db):
    CaseStudyFactory(
        slug="bins", title="Bristol's own waste company", lead=CouncilFactory(name="Harrowgate"),
        summary="Insourcing waste collection when the outsourced contract ended.",
        approach="A company owned by the council took over the crews.", theme_slugs=["waste-and-environment"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="legal", title="A shared legal service", summary="Solicitors for three districts.",
        approach="One legal team for the three.",
    )  # fmt: skip


def page(client, query: str) -> str:
    return client.get(reverse("casestudies:list"), {"q": query}).content.decode()


def test_a_result_says_which_of_the_words_it_matched(client, shelves):
    html = page(client, "bringing waste collection back in house")

    assert "Matched some of your words: waste, collection, insourcing" in html  # not "bringing"
    assert "<mark>Insourcing</mark> <mark>waste</mark> <mark>collection</mark>" in html


def test_a_result_found_by_another_form_of_a_word_says_which(client, shelves):
    CaseStudyFactory(
        slug="together", title="Everybody does their bit", summary="A collective effort by residents.",
        approach="Neighbourhood teams.",
    )  # fmt: skip
    html = page(client, "collection")  # the database's stemming finds "collective" too

    assert "Matched: collective" in html and "<mark>collective</mark>" in html


def test_a_snippet_comes_from_what_the_case_study_says_not_its_tags(client, shelves):
    html = page(client, "harrowgate")  # only in the tags: the council's name

    assert "Bristol&#x27;s own waste company" in html or "Bristol's own waste company" in html
    assert "Insourcing waste collection" in html
    assert "Harrowgate</mark>" not in html


def test_did_you_mean_offers_the_word_on_the_shelves_one_letter_away(client, shelves):
    html = page(client, "Legel services")

    assert 'Did you mean <a class="govuk-link" href="?q=legal%20services">legal services</a>?' in html


def test_edits_count_a_swap_as_one():
    assert edits("legel", "legal") == 1
    assert edits("libary", "library") == 1
    assert edits("sahred", "shared") == 1
    assert edits("waste", "wastes") == 1
