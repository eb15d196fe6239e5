"""One cluster for the whole module, built once: it takes most of the module's time.

Only in the PostgreSQL run of `make test` (tests/run_suites.py), whose throwaway
cluster is the primary here; the site's database is one of its own on it, so
nothing here touches the test database. Without redis-server the module is
skipped, or under CI=true fails."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from tests.cluster.machinery import Node, Process, Replica, site_environment, worker
from tests.redis_server import LoopbackRedis, redis_server_or_skip

DATABASE = "showcase_cluster"

SEED = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from casestudies.models import PublicationState
from peers.models import Follow, Frequency
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of

def signed_in(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

council = CouncilFactory()
officer = officer_of(council, "officer@council.example")
curator = User.objects.create(username="curator", email="curator@showcase.localhost", is_staff=True)
CaseStudyFactory(title="Shared legal service across three districts")
waiting = [
    CaseStudyFactory(
        title=f"Waiting reform number {n}", publication_state=PublicationState.SUBMITTED, published_at=None
    )
    for n in (1, 2)
]
Follow.objects.create(user=officer, query="", label="All case studies", frequency=Frequency.IMMEDIATE)
print(json.dumps({
    "officer": signed_in(officer),
    "curator": signed_in(curator),
    "waiting": [[study.pk, study.slug, study.title] for study in waiting],
}))
"""


@dataclass
class Cluster:
    primary_port: int
    replica: Replica
    redis: LoopbackRedis
    nodes: list[Node]
    workers: list[Process]
    smtp: object
    seeded: dict

    def primary_log(self) -> str:
        return Path(os.environ["SHOWCASE_PG_LOG"]).read_text(encoding="utf-8", errors="replace")


def _admin(port: int):
    link = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    link.autocommit = True
    return link


def _create_database(port: int) -> None:
    with contextlib.closing(_admin(port)) as link, link.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
        # Every statement run on the site's database is logged, on the primary and (replicated) the replica.
        cursor.execute(f"ALTER DATABASE {DATABASE} SET log_statement = 'all'")


def _drop_database(port: int) -> None:
    with contextlib.closing(_admin(port)) as link, link.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _manage(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _require_throwaway_postgres() -> int:
    if connection.vendor != "postgresql" or "SHOWCASE_PG_CTL" not in os.environ:
        pytest.skip("needs the throwaway PostgreSQL that `make test` starts (tests/run_suites.py)")
    return int(connection.settings_dict["PORT"])


@pytest.fixture(scope="module")
def cluster(_loopback_smtp, django_db_blocker):
    primary_port = _require_throwaway_postgres()
    redis = LoopbackRedis(redis_server_or_skip())
    folder = Path(tempfile.mkdtemp(prefix="showcase-cluster-"))
    replica = Replica(folder, primary_port)
    database = f"postgres://postgres@127.0.0.1:{primary_port}/{DATABASE}"
    env = site_environment(
        database=database,
        replica=f"postgres://postgres@127.0.0.1:{replica.port}/{DATABASE}",
        redis=redis.url,
        smtp=_loopback_smtp.environment(),
    )
    parts: list = []
    try:
        with django_db_blocker.unblock():
            _create_database(primary_port)
        _manage({**env, "DATABASE_REPLICA_URLS": ""}, "migrate", "--no-input")
        seeded = json.loads(
            _manage({**env, "DATABASE_REPLICA_URLS": ""}, "shell", "-c", SEED).splitlines()[-1]
        )
        replica.create()
        replica.start()
        parts.append(replica)
        redis.start()
        parts.append(redis)
        nodes = [Node("node-a", env, folder), Node("node-b", env, folder)]
        workers = [worker("worker-1", env, folder), worker("worker-2", env, folder)]
        for part in [*nodes, *workers]:
            part.start()
            parts.append(part)
        _loopback_smtp.reset()
        yield Cluster(primary_port, replica, redis, nodes, workers, _loopback_smtp, seeded)
    finally:
        _keep_logs(folder)
        for part in reversed(parts):
            part.stop()
        redis.remove()
        with django_db_blocker.unblock():
            _drop_database(primary_port)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _keep_logs(folder: Path) -> None:
    """The nodes', workers' and replica's logs, kept where a failed run can be read."""
    kept = Path(settings.BASE_DIR) / "build" / "cluster-logs"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True, exist_ok=True)
    for log in folder.glob("*.log"):
        shutil.copy(log, kept / log.name)
