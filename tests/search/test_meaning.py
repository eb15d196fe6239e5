"""Search by meaning: every published case study has a vector, kept by the
worker; each process holds them and follows changes; what meaning finds obeys
the words a query leaves out. These run on both databases."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from wordllama.inference import WordLlamaInference

from casestudies.models import CaseStudy, PublicationState
from casestudies.shelf_version import shelf_version, shelves_changed
from search.embedding import DIMENSIONS, embed, embed_one
from search.engine import search
from search.explain import explain
from search.index import index_case_studies
from search.models import CaseStudyVector
from search.vectors import VectorIndex, vector_index
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(db):
    CaseStudyFactory(
        slug="energy", title="A council energy supplier",
        summary="Cheap gas and electricity for tenants in fuel poverty.",
        approach="Licensed supply company.", outcomes="Heavy losses.", reform_type_slugs=["trading-company"],
        theme_slugs=["climate-and-energy"],
    )  # fmt: skip
    CaseStudyFactory(
        slug="legal", title="A shared legal service", summary="Solicitors for three districts.",
        approach="One legal team.", outcomes="Lower spending on outside firms.",
    )  # fmt: skip


def slugs(text: str) -> list[str]:
    return [study.slug for study in search(CaseStudy.objects.published(), text).queryset[:10]]


def test_every_published_case_study_has_a_vector(shelves):
    draft = CaseStudyFactory(publication_state=PublicationState.DRAFT, published_at=None)
    vectors = dict(CaseStudyVector.objects.values_list("case_study__slug", "vector"))

    assert set(vectors) == {"energy", "legal"} and draft.slug not in vectors
    assert all(len(bytes(vector)) == DIMENSIONS * 2 for vector in vectors.values())


def test_a_case_study_that_stops_being_public_is_no_longer_found_by_meaning(shelves):
    assert "energy" in slugs("households who cannot afford power bills")
    study = CaseStudy.objects.get(slug="energy")
    study.publication_state = PublicationState.ARCHIVED
    study.save()
    index_case_studies([study.pk])

    assert bytes(CaseStudyVector.objects.get(case_study=study).vector) == b""
    nearest = vector_index(shelf_version()).nearest(embed_one("gas and electricity"), limit=200, floor=0.01)
    assert study.pk not in nearest
    assert "energy" not in slugs("households who cannot afford power bills")


def test_a_case_study_found_by_meaning_alone_says_what_it_is_about(shelves):
    results = search(CaseStudy.objects.published(), "households who cannot afford power bills")
    energy = next(study for study in results.queryset if study.slug == "energy")
    why = explain(results, energy)

    assert why.reason == "Related idea: climate and energy"
    assert "gas and electricity" in why.snippet


def test_words_left_out_are_left_out_of_what_meaning_finds(shelves):
    assert "energy" not in slugs("households who cannot afford power bills -tenants")


def test_nonsense_finds_nothing_even_with_a_common_word(shelves):
    assert slugs("xylophone council") == []


def test_the_index_in_memory_follows_what_is_published(shelves):
    study = CaseStudyFactory(slug="libraries", title="Volunteers run the libraries")
    nearest = vector_index(shelf_version()).nearest(embed_one("volunteers libraries"), limit=200, floor=0.01)

    assert study.pk in nearest
    assert "libraries" in slugs("community-managed library branches")


def test_rebuilding_the_vectors_shows_progress_and_changes_nothing(shelves, tmp_path):
    before = dict(CaseStudyVector.objects.values_list("case_study_id", "vector"))
    out = tmp_path / "out.txt"
    with out.open("w") as stream:
        call_command("rebuild_vectors", stdout=stream)

    assert "2 of 2 case studies" in out.read_text() and "Embedded 2 case studies" in out.read_text()
    assert {pk: bytes(v) for pk, v in CaseStudyVector.objects.values_list("case_study_id", "vector")} == {
        pk: bytes(v) for pk, v in before.items()
    }


def test_the_embedding_is_wordllamas_own():
    folder = Path(next(iter(importlib.util.find_spec("wordllama").submodule_search_locations)))
    (table,) = load_file(folder / "weights" / "l2_supercat_256.safetensors").values()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    texts = ["bringing waste collection back in house", "Harrow", "council went bankrupt"]

    assert np.allclose(embed(texts), WordLlamaInference(table, tokenizer).embed(texts, norm=True), atol=1e-6)


def test_the_index_in_int8_ranks_as_float32_would():
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((500, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex()
    index.put(list(range(1, 501)), list(vectors))
    query = vectors[7]

    assert np.abs(index.similarities(query) - vectors @ query).max() < 0.01
    assert max(index.nearest(query, limit=3, floor=-1), key=index.nearest(query, limit=3, floor=-1).get) == 8


def test_the_index_changes_rows_in_place_grows_and_forgets():
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((1500, DIMENSIONS)).astype(np.float32)  # more than its first room
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = rng.permutation(np.arange(1, 1501))  # in no order, as rows arrive
    index = VectorIndex()
    index.put(list(ids[:900]), list(vectors[:900]))
    index.put(list(ids[900:]), vectors[900:])
    changed, gone, like = int(ids[10]), int(ids[1200]), int(ids[20])

    index.put([changed, gone], [vectors[20], None])

    assert len(index) == 1499 and index.used == 1500  # a change or a removal takes no new row
    assert set(index.nearest(vectors[20], limit=2, floor=0.9)) == {changed, like}
    assert gone not in index.nearest(vectors[1200], limit=5, floor=0.5)
    assert set(index.nearest(vectors[1499], limit=1, floor=0.9)) == {int(ids[1499])}


def test_after_a_publish_a_process_reads_only_the_vector_that_changed(shelves, monkeypatch):
    # Shelves whose vectors were all written a while ago, in one go (an import, a rebuild).
    CaseStudyVector.objects.update(changed_at=timezone.now() - timedelta(minutes=10))
    shelves_changed()
    vector_index(shelf_version())
    read, real_put = [], VectorIndex.put

    def put(index, pks, *rest):
        read.extend(pks)
        return real_put(index, pks, *rest)

    monkeypatch.setattr(VectorIndex, "put", put)

    study = CaseStudyFactory(slug="libraries", title="Volunteers run the libraries")

    assert study.pk in vector_index(shelf_version()).nearest(embed_one("volunteers"), limit=200, floor=0.01)
    assert read == [study.pk]


def test_a_vector_changed_again_or_committed_late_is_still_read(shelves):
    energy = CaseStudy.objects.get(slug="energy")
    vector_index(shelf_version())
    # Changed again at once: the new text's meaning is what is found.
    energy.summary, energy.title = "Volunteers keep the village libraries open.", "Community libraries"
    energy.save()
    index_case_studies([energy.pk])
    near_libraries = vector_index(shelf_version()).nearest(embed_one("village libraries"), limit=2, floor=0.3)
    legal = CaseStudy.objects.get(slug="legal")
    assert list(near_libraries) == [energy.pk]
    # A vector whose transaction committed after the process looked, stamped a minute before.
    CaseStudyVector.objects.filter(case_study=legal).update(
        vector=CaseStudyVector.objects.get(case_study=energy).vector,
        changed_at=timezone.now() - timedelta(minutes=1),
    )
    shelves_changed()

    near_libraries = vector_index(shelf_version()).nearest(embed_one("village libraries"), limit=2, floor=0.3)
    assert sorted(near_libraries) == sorted([energy.pk, legal.pk])


def depots_and_a_bankruptcy(**fields) -> None:
    """Six case studies about a depot and one about a council that went bankrupt."""
    for number in range(6):
        CaseStudyFactory(
            slug=f"depot-{number}", title=f"Depot number {number}",
            summary="The council renewed the depot and its lorries.", **fields,
        )  # fmt: skip
    CaseStudyFactory(
        slug="bankrupt", title="After the section 114 notice",
        summary="The council went bankrupt and recovered.", **fields,
    )  # fmt: skip


def test_a_word_most_case_studies_use_does_not_bring_one_in_on_its_own(db):
    # Few case studies have every word, so those with some of them and near in meaning
    # follow; "council", which nearly all of them say, is not one of those words.
    depots_and_a_bankruptcy()

    found = search(CaseStudy.objects.published(), "council went bankrupt")

    assert found.relaxed and [study.slug for study in found.queryset] == ["bankrupt"]


def test_a_search_narrowed_by_a_filter_counts_the_same_matches_without_it(db):
    # The facet counts apply the search decided on the filtered shelves to shelves
    # without that filter: a case study the filter leaves out, with some of the words
    # ("bankrupt", "authority" for council) and near in meaning, is counted there too.
    depots_and_a_bankruptcy(status="pilot")
    CaseStudyFactory(
        slug="insolvent", title="Recovering from insolvency",
        summary="Declared bankrupt, the authority sold its offices.", status="implemented",
    )  # fmt: skip
    pilots = {"bankrupt", *(f"depot-{number}" for number in range(6))}

    found = search(CaseStudy.objects.published().filter(status="pilot"), "bankrupt council lorries")

    insolvent = CaseStudy.objects.get(slug="insolvent").pk
    # It comes in with some of the words and near in meaning, not near enough to come in alone.
    assert insolvent in found.meaning.with_words and insolvent not in found.meaning.alone
    assert found.relaxed and {study.slug for study in found.queryset} == pilots
    elsewhere = found.narrow(CaseStudy.objects.published()).values_list("slug", flat=True)
    assert set(elsewhere) == {*pilots, "insolvent"}
