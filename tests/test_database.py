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
