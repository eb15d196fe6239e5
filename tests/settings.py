"""What every test runs under: production's own settings (showcase/settings.py
with DEBUG off), given what a deployment behind the README's TLS-terminating
load balancer gives it. So secure cookies, HSTS and the HTTPS redirect, hashed
and compressed static files (collected once per run), the page cache and the
error pages are the ones production has. The test client speaks HTTPS
(tests/helpers.py HttpsClient); browsers reach the live server through the
proxy's X-Forwarded-Proto header, as they reach production.

What differs, and why: email goes to Django's in-memory outbox (the test runner
replaces the mail backend) except where a test starts the real SMTP server, and
tasks run at once inside the request except where a test runs the real worker
(tests/conftest.py says so where it sets that up), and the cache in a table counts
its rows on every write rather than one in 50 (core.db_cache), so that the queries a
page costs do not depend on how many writes came before it in the run
(tests/core/test_db_cache.py checks the rhythm production has)."""

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

for _name, _value in {
    "DEBUG": "false",
    "SECRET_KEY": "tests-only-secret-key-never-used-anywhere-else-0123456789abcdef",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1,showcase.example",
    "BEHIND_TLS_PROXY": "true",
    "STATIC_ROOT": str(_ROOT / "build" / "test-static"),
}.items():
    os.environ.setdefault(_name, _value)

from showcase.settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as production's database is, not Django's default for tests of one
    # shared in memory: there SQLite locks whole tables between connections, and a
    # thread of its own reading (the facet table) while a request writes the cache
    # fails with "database table is locked", which waiting never cures and a file in
    # WAL mode never does. Made afresh for each run.
    DATABASES["default"]["TEST"] = {"NAME": str(_ROOT / "build" / "test-db.sqlite3")}  # noqa: F405

for _alias in CACHES.values():  # noqa: F405
    if _alias["BACKEND"] == "core.db_cache.UpsertDatabaseCache":
        _alias["OPTIONS"] = {**_alias.get("OPTIONS", {}), "CULL_EVERY": 1}
