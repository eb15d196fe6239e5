import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_has_the_trigram_extension_available():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite uses FTS5 instead")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_available_extensions WHERE name = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)


@pytest.mark.django_db
def test_sqlite_has_fts5():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL uses its own full-text search")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_the_shelves_indexes_are_there_after_every_migration():
    """Added by hand (casestudies 0007 and 0010), so a later migration that rebuilds the
    table on SQLite would drop them without a word: the lists would read every row again."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "casestudies_casestudy")
    for name in [
        "published_newest_first",
        "published_by_evidence",
        "published_by_savings",
        "published_by_adoptions",
        "shelf_covering",
    ]:
        assert indexes.get(name, {}).get("index"), name
