"""The cache in a database table (core.db_cache): a write is one upsert, the table
stays near its MAX_ENTRIES, and it behaves as Django's cache does for what the site
keeps there (pages, facet counts, the shelf version)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db_cache import UpsertDatabaseCache

pytestmark = pytest.mark.django_db


def table_cache(**options) -> UpsertDatabaseCache:
    return UpsertDatabaseCache("showcase_cache", {"OPTIONS": options})


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM showcase_cache")
        return cursor.fetchone()[0]


def test_a_value_written_is_read_back_and_a_second_write_replaces_it():
    cache = table_cache()
    cache.set("page", {"body": "first"}, 60)
    cache.set("page", {"body": "second"}, 60)

    assert cache.get("page") == {"body": "second"}
    assert rows() == 1


def test_a_value_kept_for_ever_is_kept_and_one_past_its_time_is_gone():
    cache = table_cache()
    cache.set("version", "abc", None)
    cache.set("soon", "gone", 1)
    time.sleep(1.1)

    assert cache.get("version") == "abc"
    assert cache.get("soon") is None


def test_a_write_is_one_statement_with_the_table_counted_only_now_and_then():
    cache = table_cache(CULL_EVERY=50)
    cache.set("first", 1, 60)  # the first write of a process counts the table
    with CaptureQueriesContext(connection) as queries:
        cache.set("second", 2, 60)
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]

    assert len(statements) == 1
    assert statements[0].upper().startswith("INSERT INTO")
    assert cache.get("second") == 2


@pytest.mark.parametrize("every", [1, 10])
def test_the_table_stays_within_max_entries_and_one_rhythm_of_culling(every):
    cache = table_cache(MAX_ENTRIES=30, CULL_EVERY=every)
    for n in range(300):
        cache.set(f"page-{n}", n, 60)

    assert rows() <= 30 + every
    assert cache.get("page-299") == 299  # the newest write is never the one culled
