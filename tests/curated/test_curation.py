"""Curators make collections at /review/collections/; nobody else may."""

import pytest
from django.urls import reverse

from curated import services
from curated.models import Collection, CollectionAction, CollectionItem, CollectionStatus
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def edit_url(collection) -> str:
    return reverse("curated:review-edit", args=[collection.pk])


@pytest.mark.parametrize("name", ["curated:review-list", "curated:review-create"])
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", ["curated:review-list", "curated:review-create"])
def test_officers_may_not_open_the_curators_pages(client, officer, name):
    client.force_login(officer)

    assert client.get(reverse(name)).status_code == 403


def test_officers_may_not_publish_a_collection(client, officer, collection):
    client.force_login(officer)

    response = client.post(reverse("curated:review-publish", args=[collection.pk]))

    assert response.status_code == 403
    collection.refresh_from_db()
    assert collection.status == CollectionStatus.DRAFT


def test_the_review_queue_links_to_collections(client, curator):
    client.force_login(curator)

    assert reverse("curated:review-list") in client.get(reverse("review:queue")).content.decode()


def test_a_curator_makes_a_draft_collection(client, curator):
    client.force_login(curator)

    response = client.post(
        reverse("curated:review-create"), {"title": "Trading companies", "introduction": ""}
    )

    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(collection)
    assert (collection.slug, collection.status, collection.created_by) == (
        "trading-companies",
        "draft",
        curator,
    )
    assert collection.events.get().action == CollectionAction.CREATED


def test_a_collection_without_a_title_is_refused_with_the_field_named(client, curator):
    client.force_login(curator)

    response = client.post(reverse("curated:review-create"), {"title": "", "introduction": "Hello"})

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_title">Enter a title for the collection</a>' in page
    assert not Collection.objects.exists()


def test_slugs_stay_unique(curator):
    first = services.collection_create(title="Shared services", by=curator)
    second = services.collection_create(title="Shared services", by=curator)

    assert (first.slug, second.slug) == ("shared-services", "shared-services-2")


def test_a_curator_edits_the_title_introduction_and_feature(client, curator, collection):
    client.force_login(curator)

    response = client.post(
        edit_url(collection), {"title": "Sharing senior managers", "introduction": "New.", "featured": "true"}
    )

    assert response.status_code == 302
    collection.refresh_from_db()
    assert (collection.title, collection.introduction, collection.featured) == (
        "Sharing senior managers",
        "New.",
        True,
    )
    assert collection.slug == "sharing-a-chief-executive"  # addresses already shared keep working


def test_a_curator_adds_a_published_case_study_with_a_note_at_the_end(client, curator, collection):
    client.force_login(curator)
    study = CaseStudyFactory(title="Joint waste depot")

    response = client.post(
        reverse("curated:review-add-item", args=[collection.pk]),
        {"case_study": study.pk, "note": "Cheapest."},
    )

    assert response.status_code == 302
    last = collection.items.order_by("position").last()
    assert (last.case_study, last.note) == (study, "Cheapest.")


def test_only_published_case_studies_can_be_added(client, curator, collection):
    client.force_login(curator)
    draft = CaseStudyFactory(publication_state="draft", published_at=None)

    response = client.post(
        reverse("curated:review-add-item", args=[collection.pk]), {"case_study": draft.pk, "note": "No."}
    )

    assert response.status_code == 400
    assert "Choose a published case study" in response.content.decode()
    assert not collection.items.filter(case_study=draft).exists()


def test_the_choice_offers_only_published_studies_not_already_in(client, curator, collection):
    client.force_login(curator)
    CaseStudyFactory(title="Unpublished idea", publication_state="submitted", published_at=None)
    CaseStudyFactory(title="Waiting to be chosen")

    page = client.get(edit_url(collection)).content.decode()
    choices = page.split('id="id_case_study"', 1)[1].split("</select>", 1)[0]

    assert "Waiting to be chosen" in choices
    assert "Unpublished idea" not in choices and "Joint management team" not in choices


def test_adding_without_a_note_is_refused_with_the_field_named(client, curator, collection):
    client.force_login(curator)
    study = CaseStudyFactory()

    response = client.post(reverse("curated:review-add-item", args=[collection.pk]), {"case_study": study.pk})

    assert response.status_code == 400
    assert '<a href="#id_note">Enter why the case study is in the collection</a>' in response.content.decode()
    assert collection.items.count() == 2


def test_a_curator_edits_a_note(client, curator, collection):
    client.force_login(curator)
    item = collection.items.first()

    response = client.post(
        reverse("curated:review-edit-note", args=[collection.pk, item.pk]),
        {f"item-{item.pk}-note": "Better."},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Better."


def test_an_empty_note_is_refused_and_the_old_one_kept(client, curator, collection):
    client.force_login(curator)
    item = collection.items.first()

    response = client.post(
        reverse("curated:review-edit-note", args=[collection.pk, item.pk]), {f"item-{item.pk}-note": ""}
    )

    assert response.status_code == 400
    assert f'href="#id_item-{item.pk}-note"' in response.content.decode()
    item.refresh_from_db()
    assert item.note == "The first to try it."


def titles(collection) -> list[str]:
    return [item.case_study.title for item in collection.items.order_by("position", "pk")]


def test_a_curator_moves_a_case_study_down_and_up(client, curator, collection):
    client.force_login(curator)
    first = collection.items.order_by("position").first()
    move = reverse("curated:review-move-item", args=[collection.pk, first.pk])

    client.post(move, {"direction": "down"})
    assert titles(collection) == ["Shared legal", "Joint management team"]
    client.post(move, {"direction": "up"})
    assert titles(collection) == ["Joint management team", "Shared legal"]


def test_moving_the_first_up_changes_nothing(client, curator, collection):
    client.force_login(curator)
    first = collection.items.order_by("position").first()

    client.post(reverse("curated:review-move-item", args=[collection.pk, first.pk]), {"direction": "up"})

    assert titles(collection) == ["Joint management team", "Shared legal"]


def test_moving_never_happens_on_a_get(client, curator, collection):
    client.force_login(curator)
    first = collection.items.order_by("position").first()

    response = client.get(reverse("curated:review-move-item", args=[collection.pk, first.pk]))

    assert response.status_code == 405
    assert titles(collection) == ["Joint management team", "Shared legal"]


def test_a_curator_removes_a_case_study(client, curator, collection):
    client.force_login(curator)
    first = collection.items.order_by("position").first()

    client.post(reverse("curated:review-remove-item", args=[collection.pk, first.pk]))

    assert titles(collection) == ["Shared legal"]
    assert collection.events.filter(action=CollectionAction.ITEM_REMOVED).exists()


def test_an_item_of_another_collection_cannot_be_reached_through_this_one(client, curator, collection):
    other = services.collection_create(title="Other", by=curator)
    client.force_login(curator)
    item = collection.items.first()

    response = client.post(reverse("curated:review-remove-item", args=[other.pk, item.pk]))

    assert response.status_code == 404
    assert CollectionItem.objects.filter(pk=item.pk).exists()


def test_a_curator_publishes_and_unpublishes(client, curator, collection):
    client.force_login(curator)

    client.post(reverse("curated:review-publish", args=[collection.pk]))
    collection.refresh_from_db()
    assert collection.status == CollectionStatus.PUBLISHED and collection.published_at is not None

    client.post(reverse("curated:review-unpublish", args=[collection.pk]))
    collection.refresh_from_db()
    assert collection.status == CollectionStatus.DRAFT and collection.published_at is None
    assert list(collection.events.values_list("action", flat=True)[:2]) == ["unpublished", "published"]


def test_an_empty_collection_cannot_be_published(client, curator):
    empty = services.collection_create(title="Nothing yet", by=curator)
    client.force_login(curator)

    response = client.post(reverse("curated:review-publish", args=[empty.pk]))

    assert response.status_code == 400
    assert "Add at least one published case study" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == CollectionStatus.DRAFT


def test_the_edit_page_marks_case_studies_the_public_cannot_see(client, curator, collection):
    study = collection.items.first().case_study
    study.publication_state, study.published_at = "archived", None
    study.save()
    client.force_login(curator)

    page = client.get(edit_url(collection)).content.decode()

    assert "Archived</strong> Not shown to the public" in page
