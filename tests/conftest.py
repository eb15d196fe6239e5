import contextlib
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.helpers import HttpsClient
from tests.smtp_server import LoopbackSMTP

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
REGISTER_CSV = SHARED_DATA / "uk_local_authorities_current.csv"
ALIASES_CSV = SHARED_DATA / "lookup_name_to_registry.csv"
DEMO_CASE_STUDIES = Path(settings.BASE_DIR) / "demo" / "fixtures" / "demo_case_studies.json"


@pytest.fixture
def register_csv() -> Path:
    if not REGISTER_CSV.exists():
        pytest.fail(f"The council register is expected beside the project at {REGISTER_CSV}")
    return REGISTER_CSV


@pytest.fixture
def demo_records() -> dict:
    return json.loads(DEMO_CASE_STUDIES.read_text(encoding="utf-8"))


@pytest.fixture
def demo(db):
    """The demo councils and case studies, loaded as `make run` loads them."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _forget_task_backends() -> None:
    # Django's task backends are read from settings once; make them read again.
    from asgiref.local import Local
    from django.tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Unit tests see the effect of a task straight away; the worker is tested on its own.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _forget_task_backends()
    yield
    _forget_task_backends()


@pytest.fixture(autouse=True)
def _page_cache_as_in_production(settings):
    # Development turns the page cache off (DEBUG); tests run it as production does.
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def no_page_cache(settings):
    """Build every page afresh: for counting what building a page costs.
    What serving a cached copy costs is counted in test_page_cache.py."""
    settings.PAGE_CACHE_SECONDS = 0


def _newest_static_source() -> float:
    return max(
        (path.stat().st_mtime for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*")),
        default=0.0,
    )


@pytest.fixture(scope="session", autouse=True)
def _static_collected_as_in_production():
    """Production serves hashed, compressed files from collectstatic's manifest;
    so do the tests. Collected once, and again only when a source is newer."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists() or manifest.stat().st_mtime < _newest_static_source():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def client():
    """Django's test client, speaking HTTPS as every visitor to production does."""
    return HttpsClient()


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or database['NAME']}"


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_blocker):
    """The caches are database tables, which neither rollbacks of other tests' writes
    nor flushes between transactional tests touch: empty it after each database test."""
    yield
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        from django.core.cache import caches
        from django.db import DatabaseError

        with django_db_blocker.unblock(), contextlib.suppress(DatabaseError):
            for cache in caches.all():
                cache.clear()  # a test that made the database unreachable has nothing cached to clear


@pytest.fixture(scope="session")
def _loopback_smtp():
    server = LoopbackSMTP()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_loopback_smtp) -> LoopbackSMTP:
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py), started once a
    session, accepting and empty at the start of each test. Point another
    process at it with its environment()."""
    _loopback_smtp.reset()
    yield _loopback_smtp
    _loopback_smtp.reset()
