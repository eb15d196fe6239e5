"""Collections in the open data: the API, an Atom feed of each, the sitemap;
and the home page's featured collections. Published only, as the pages show."""

import feedparser
import pytest

from curated import services
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def hide(collection, title: str) -> None:
    study = collection.items.get(case_study__title=title).case_study
    study.publication_state, study.published_at = "archived", None
    study.save()


def test_the_api_lists_published_collections_only(client, curator, published):
    services.collection_create(title="Still a draft", by=curator)

    data = client.get("/api/v1/collections/").json()

    assert [record["slug"] for record in data["results"]] == ["sharing-a-chief-executive"]
    assert data["results"][0]["case_study_count"] == 2
    assert data["results"][0]["url"] == "https://testserver/collections/sharing-a-chief-executive/"


def test_the_api_gives_the_case_studies_in_order_with_notes(client, published):
    data = client.get("/api/v1/collections/sharing-a-chief-executive/").json()

    assert [(item["position"], item["title"], item["note"]) for item in data["items"]] == [
        (1, "Joint management team", "The first to try it."),
        (2, "Shared legal", "Small and quick."),
    ]
    assert data["introduction"].startswith("## Why share")


def test_the_api_leaves_out_case_studies_that_are_not_public(client, published):
    hide(published, "Joint management team")

    data = client.get("/api/v1/collections/sharing-a-chief-executive/").json()

    assert [item["title"] for item in data["items"]] == ["Shared legal"]
    assert data["case_study_count"] == 1


def test_the_api_does_not_find_a_draft(client, collection):
    assert client.get(f"/api/v1/collections/{collection.slug}/").status_code == 404


def test_the_api_root_and_schema_describe_collections(client, db):
    assert client.get("/api/v1/").json()["collections"] == "https://testserver/api/v1/collections/"
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/collections/{slug}/" in schema and "CollectionDetail" in schema


def test_the_feed_has_the_public_case_studies_in_order(client, published):
    hide(published, "Shared legal")
    services.collection_add_item(
        collection=published,
        case_study=CaseStudyFactory(title="Third one"),
        note="Newest.",
        by=published.created_by,
    )

    response = client.get(f"/collections/{published.slug}/feed.atom")

    feed = feedparser.parse(response.content)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.feed.title == "Sharing a chief executive: a collection on Showcase"
    assert [entry.title for entry in feed.entries] == ["Joint management team", "Third one"]
    assert "The first to try it." in feed.entries[0].summary


def test_a_draft_has_no_feed(client, collection):
    assert client.get(f"/collections/{collection.slug}/feed.atom").status_code == 404


def test_the_sitemap_lists_published_collections_and_the_list(client, curator, published):
    draft = services.collection_create(title="Secret plans", by=curator)

    xml = client.get("/sitemap.xml").content.decode()

    assert "https://testserver/collections/</loc>" in xml
    assert f"https://testserver{published.get_absolute_url()}</loc>" in xml
    assert draft.slug not in xml


def test_the_home_page_features_up_to_three_featured_collections(client, curator):
    for n in range(4):
        collection = services.collection_create(title=f"Featured {n}", featured=True, by=curator)
        services.collection_add_item(
            collection=collection, case_study=CaseStudyFactory(), note="Why.", by=curator
        )
        services.collection_publish(collection=collection, by=curator)

    page = client.get("/").content.decode()

    assert [f"Featured {n}</a>" in page for n in range(4)] == [False, True, True, True]  # the newest three


def test_the_home_page_does_not_feature_drafts_or_unfeatured(client, curator, published):
    services.collection_create(title="Draft but featured", featured=True, by=curator)

    page = client.get("/").content.decode()

    assert "Draft but featured" not in page and "Sharing a chief executive" not in page


def test_featuring_a_collection_reaches_the_cached_home_page(client, curator, published):
    client.get("/")

    services.collection_update(
        collection=published, title=published.title, introduction="", featured=True, by=curator
    )

    assert "Sharing a chief executive" in client.get("/").content.decode()
