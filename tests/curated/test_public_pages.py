"""/collections/ and /collections/<slug>/: published collections only, their
case studies in order with the curator's notes, and only public case studies."""

import pytest
from django.urls import reverse

from browse.page_cache import CACHE_HEADER
from curated import services
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def test_a_draft_collection_is_not_found_by_the_public(client, collection):
    assert client.get(collection.get_absolute_url()).status_code == 404


def test_a_draft_collection_is_not_found_by_officers(client, officer, collection):
    client.force_login(officer)

    assert client.get(collection.get_absolute_url()).status_code == 404


def test_a_curator_can_preview_a_draft(client, curator, collection):
    client.force_login(curator)

    response = client.get(collection.get_absolute_url())

    assert response.status_code == 200 and "This is a draft" in response.content.decode()


def test_a_draft_is_not_in_the_list(client, collection):
    assert "Sharing a chief executive" not in client.get(reverse("curated:list")).content.decode()


def test_a_published_collection_is_in_the_list_with_its_count(client, published):
    page = client.get(reverse("curated:list")).content.decode()

    assert f'href="{published.get_absolute_url()}">Sharing a chief executive</a>' in page
    assert "2 case studies" in page


def test_the_page_shows_the_introduction_as_markdown(client, published):
    page = client.get(published.get_absolute_url()).content.decode()

    assert "<h3>Why share</h3>" in page and "<strong>one</strong>" in page


def test_the_case_studies_appear_in_order_with_their_notes(client, curator, published):
    last = published.items.order_by("position").last()
    services.collection_move_item(item=last, up=True, by=curator)

    page = client.get(published.get_absolute_url()).content.decode()

    assert page.index("Shared legal") < page.index("Small and quick.") < page.index("Joint management team")
    assert page.index("Joint management team") < page.index("The first to try it.")


def test_a_case_study_that_is_no_longer_public_is_silently_left_out(client, published):
    study = published.items.get(case_study__title="Shared legal").case_study
    study.publication_state, study.published_at = "archived", None
    study.save()

    page = client.get(published.get_absolute_url()).content.decode()

    assert "Shared legal" not in page and "Small and quick." not in page
    assert "Joint management team" in page and "1 case study" in page


def test_introductions_cannot_carry_scripts(client, curator, published):
    services.collection_update(
        collection=published, title=published.title, introduction="<script>alert(1)</script>", featured=False,
        by=curator,
    )  # fmt: skip

    page = client.get(published.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_the_page_is_cached_for_visitors(client, published):
    url = published.get_absolute_url()

    assert client.get(url)[CACHE_HEADER] == "miss"
    assert client.get(url)[CACHE_HEADER] == "hit"


def test_a_change_to_the_collection_is_seen_at_once_despite_the_cache(client, curator, published):
    url = published.get_absolute_url()
    client.get(url)
    services.collection_add_item(
        collection=published, case_study=CaseStudyFactory(title="Newly added"), note="Fresh.", by=curator
    )

    response = client.get(url)

    assert response[CACHE_HEADER] == "miss" and "Newly added" in response.content.decode()


def test_unpublishing_takes_the_page_down_at_once(client, curator, published):
    url = published.get_absolute_url()
    client.get(url)

    services.collection_unpublish(collection=published, by=curator)

    assert client.get(url).status_code == 404
    assert "Sharing a chief executive" not in client.get(reverse("curated:list")).content.decode()


def test_the_list_costs_a_fixed_number_of_queries(
    client, curator, published, no_page_cache, django_assert_max_num_queries
):
    for n in range(5):
        other = services.collection_create(title=f"Collection {n}", by=curator)
        services.collection_add_item(collection=other, case_study=CaseStudyFactory(), note="Why.", by=curator)
        services.collection_publish(collection=other, by=curator)

    with django_assert_max_num_queries(4):
        client.get(reverse("curated:list"))


def test_the_page_costs_a_fixed_number_of_queries(
    client, curator, published, no_page_cache, django_assert_max_num_queries
):
    for _n in range(5):
        services.collection_add_item(
            collection=published, case_study=CaseStudyFactory(), note="Why.", by=curator
        )

    with django_assert_max_num_queries(8):
        client.get(published.get_absolute_url())
