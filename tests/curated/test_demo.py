import os

import pytest
from django.core.management import call_command

from curated.models import Collection

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_featured_collections(client, demo):
    collections = Collection.objects.published().with_public_counts()

    assert collections.count() == 2 and all(c.featured and c.public_count == 3 for c in collections)
    assert "Sharing services between councils" in client.get("/").content.decode()


def test_loading_the_demo_again_adds_no_collections(demo):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert Collection.objects.count() == 2
