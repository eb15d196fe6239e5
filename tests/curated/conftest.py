import pytest
from django.contrib.auth.models import User

from curated import services
from tests.factories import CaseStudyFactory


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


@pytest.fixture
def officer(db):
    return User.objects.create(username="al@middevon.gov.uk", email="al@middevon.gov.uk")


@pytest.fixture
def collection(curator):
    """A draft collection of two published case studies, with notes."""
    collection = services.collection_create(
        title="Sharing a chief executive",
        introduction="## Why share\n\nTwo councils, **one** team.",
        by=curator,
    )
    for title, note in [
        ("Joint management team", "The first to try it."),
        ("Shared legal", "Small and quick."),
    ]:
        services.collection_add_item(
            collection=collection, case_study=CaseStudyFactory(title=title), note=note, by=curator
        )
    return collection


@pytest.fixture
def published(collection, curator):
    services.collection_publish(collection=collection, by=curator)
    collection.refresh_from_db()
    return collection
