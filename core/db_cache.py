"""The cache in a database table (the default without REDIS_URL), writing in one statement.

Django's ``DatabaseCache.set`` costs five round trips to the database on every write:
it counts the whole table (to cull it when full), then in a transaction reads the key
and updates or inserts it. Every page built afresh for a visitor is written to the page
cache, and a filtered list writes its facet counts too. Here a write is one upsert (``INSERT ... ON
CONFLICT DO UPDATE``, which PostgreSQL and SQLite both have), and the table is counted
and culled on one write in ``CULL_EVERY`` (an OPTION, default 50) of each process's
cache (Django keeps one per thread), so it may run past MAX_ENTRIES by at most that many
entries a process between culls. Reads, ``add``,
``touch``, ``incr`` and deletes are Django's own."""

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

CULL_EVERY = 50


class UpsertDatabaseCache(DatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._cull_every = int(params.get("OPTIONS", {}).get("CULL_EVERY", CULL_EVERY))
        self._writes = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        value = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        self._writes += 1
        # Inside a transaction, a savepoint keeps a failed write from spoiling it.
        guard = transaction.atomic(using=db) if connection.in_atomic_block else nullcontext()
        try:
            with guard, connection.cursor() as cursor:
                if (self._writes - 1) % self._cull_every == 0:
                    # The table and column names are the settings' own, quoted; the values are parameters.
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(db, cursor, tz_now().replace(microsecond=0), count)
                k, v, e = quote("cache_key"), quote("value"), quote("expires")
                upsert = f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s) ON CONFLICT ({k}) "  # noqa: S608
                upsert += f"DO UPDATE SET {v} = EXCLUDED.{v}, {e} = EXCLUDED.{e}"
                cursor.execute(upsert, [key, value, expires])
        except DatabaseError:
            # As Django's own: a write that fails (two processes culling at once) is
            # dropped, and the page is built again next time.
            return
