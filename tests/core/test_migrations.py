"""Migrations keep what a site already holds, undo cleanly, and need nothing
but `migrate` and an ordinary database owner."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casestudies.models import CaseStudy, ReformType
from moderation.models import StateChange
from search import vocabulary as search_vocabulary
from tests.helpers import PRODUCTION

# The newest migration of each app at the last release (commit 6a08232), before
# the rooms were split and the cache table got its migration.
PREVIOUS_RELEASE = [
    ("accounts", "0001_initial"),
    ("casestudies", "0007_published_newest_first_index"),
    ("councils", "0002_membership"),
    ("peers", "0001_initial"),
    ("core", None),
]
OUR_APPS_LAST_FIRST = ["peers", "accounts", "casestudies", "councils", "core"]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_what_a_site_held_at_the_last_release_survives_the_migrations(client):
    search_vocabulary.forget()  # `migrate` runs in a process of its own, which has read nothing yet
    old = migrate_to(PREVIOUS_RELEASE)
    council = old.get_model("councils", "Council").objects.create(
        code="TEIG", name="Teignbridge", official_name="Teignbridge District Council",
        council_type="NMD", nation="England",
    )  # fmt: skip
    study = old.get_model("casestudies", "CaseStudy").objects.create(
        title="Shared revenues", slug="shared-revenues", summary="Two councils, one service.",
        publication_state="published", published_at=timezone.now(),
    )  # fmt: skip
    old.get_model("casestudies", "CaseStudyCouncil").objects.create(
        case_study=study, council=council, role="lead"
    )
    old.get_model("casestudies", "StateChange").objects.create(case_study=study, action="published")

    call_command("migrate", verbosity=0)

    assert CaseStudy.objects.published().get(slug="shared-revenues").lead_council.name == "Teignbridge"
    assert StateChange.objects.get(case_study__slug="shared-revenues").action == "published"
    assert client.get("/case-studies/shared-revenues/", secure=True).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_every_migration_can_be_undone_and_done_again():
    for app in OUR_APPS_LAST_FIRST:
        call_command("migrate", app, "zero", verbosity=0)
    assert "casestudies_casestudy" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert ReformType.objects.filter(slug="shared-services").exists()  # the seeding ran again
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def run_manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **PRODUCTION,
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def ordinary_owner_database() -> str:
    """A new PostgreSQL database owned by a role that is not a superuser."""
    name = f"owner_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        cursor.execute(f"CREATE DATABASE {name} OWNER {name}")
    parameters = connection.settings_dict
    return f"postgres://{name}@{parameters['HOST']}:{parameters['PORT']}/{name}"


@pytest.mark.django_db(transaction=True)  # CREATE DATABASE cannot run in a transaction
def test_migrate_alone_gives_a_working_site(tmp_path):
    if connection.vendor == "postgresql":
        url = ordinary_owner_database()
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    migrated = run_manage("migrate", "--no-input", database_url=url)
    assert migrated.returncode == 0, migrated.stderr
    loaded = run_manage("load_demo", "--if-empty", database_url=url)  # writes to the cache as it goes

    assert loaded.returncode == 0, loaded.stderr
    assert "case studies" in loaded.stdout
