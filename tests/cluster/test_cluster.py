"""Showcase on more than one machine, on loopback: two gunicorn nodes, two workers,
a primary and a streaming replica, and Redis (tests/cluster/conftest.py). The tests
run in this order on the one cluster; the last ones stop and restart its parts.

Which server ran a read is told from the server side: every statement run on
the site's database is logged, by the primary and the replica each in its own
log, so a search for a word nobody else uses shows where it was run."""

import os
import secrets
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.cluster.conftest import DATABASE
from tests.cluster.machinery import Visitor, postgres_tools
from tests.redis_server import wait_until

BACKUP = Path(settings.BASE_DIR) / "deploy" / "backup"
RESTORED = "showcase_restored"
TABLES = ["casestudies_casestudy", "peers_follow", "auth_user", "django_session", "core_sentemail"]
RUN = {"capture_output": True, "text": True, "check": False, "timeout": 120}
PAGES = ["/", "/case-studies/", "/councils/", "/api/v1/case-studies/", "/healthz"]


def unique_word() -> str:
    return "zq" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def query(port: int, sql: str, *params, database: str = DATABASE):
    link = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=database)
    try:
        with link.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        link.close()


def count(port: int, table: str, database: str = DATABASE) -> int:
    return query(port, f'SELECT count(*) FROM "{table}"', database=database)  # noqa: S608 - our own table names


def replica_caught_up(cluster) -> bool:
    primary = query(cluster.primary_port, "SELECT pg_current_wal_lsn()::text")
    return query(cluster.replica.port, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", primary)


def publish(cluster, number: int, port: int) -> None:
    pk = cluster.seeded["waiting"][number][0]
    curator = Visitor({"sessionid": cluster.seeded["curator"]})
    answer = curator.post(port, f"/review/case-studies/{pk}/publish/", {"message": ""})
    assert answer.status == 302, answer.body[:500]


def search_served_by(cluster, port: int) -> str:
    """Search for a new word through a node; which server's log shows it ('replica', 'primary' or '')."""
    word = unique_word()
    assert Visitor().get(port, f"/case-studies/?q={word}").status == 200
    wait_until(
        lambda: word in cluster.replica.log() or word in cluster.primary_log(), 10, "the statement log"
    )
    return "replica" if word in cluster.replica.log() else "primary" if word in cluster.primary_log() else ""


@pytest.fixture
def node_a(cluster) -> int:
    return cluster.nodes[0].port


@pytest.fixture
def node_b(cluster) -> int:
    return cluster.nodes[1].port


def test_a_publish_through_one_node_is_visible_through_the_other_at_once(cluster, node_a, node_b):
    title = cluster.seeded["waiting"][0][2]
    visitor = Visitor()
    visitor.get(node_b, "/case-studies/")
    before = visitor.get(node_b, "/case-studies/")
    assert (before.headers.get("x-page-cache"), title in before.body) == ("hit", False)

    publish(cluster, 0, node_a)
    after = visitor.get(node_b, "/case-studies/")

    assert after.status == 200 and title in after.body


def test_public_reads_are_served_by_the_replica(cluster, node_b):
    wait_until(lambda: replica_caught_up(cluster), 20, "the replica to replay the primary's log")

    assert search_served_by(cluster, node_b) == "replica"
    assert query(cluster.replica.port, "SELECT pg_is_in_recovery()") is True


def test_writes_reach_the_primary_and_never_the_replica(cluster):
    assert 'UPDATE "casestudies_casestudy"' in cluster.primary_log()
    assert "UPDATE " not in cluster.replica.log()


def test_an_officer_sees_their_own_change_at_once_through_the_other_node(cluster, node_a, node_b):
    officer = Visitor({"sessionid": cluster.seeded["officer"]})
    word = unique_word()

    followed = officer.post(node_a, "/alerts/follow/", {"query": f"q={word}", "frequency": "weekly"})
    account = officer.get(node_b, "/account/")

    assert followed.status == 302
    assert account.status == 200 and word in account.body


def test_a_rate_limit_reached_through_one_node_holds_on_the_other(cluster, node_a, node_b):
    form = {"doing": "Find a reform", "feedback": "The filters are clear"}
    for _ in range(5):  # the feedback limit: five an hour from one client
        assert Visitor().post(node_a, "/feedback/", form).status == 200

    assert Visitor().post(node_b, "/feedback/", form).status == 429


def test_each_alert_email_is_sent_exactly_once_with_two_workers(cluster, node_a):
    publish(cluster, 1, node_a)
    titles = [title for _, _, title in cluster.seeded["waiting"]]

    def alerts() -> list[str]:
        return [
            received.message.get_body(("plain",)).get_content()
            for received in cluster.smtp.received
            if received.rcpt_tos == ["officer@council.example"]
        ]

    wait_until(lambda: all(any(title in body for body in alerts()) for title in titles), 30, "both alerts")
    waiting = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
    wait_until(lambda: query(cluster.primary_port, waiting) == 0, 30, "the queue to empty")

    assert [sum(title in body for body in alerts()) for title in titles] == [1, 1]


def test_a_backup_restores_into_a_new_database_with_everything_in_it(cluster, tmp_path):
    _, pg_bin = postgres_tools()
    env = {**os.environ, "PATH": f"{pg_bin}:{os.environ['PATH']}", "PGHOST": "127.0.0.1"}
    env.update({"PGPORT": str(cluster.primary_port), "PGUSER": "postgres", "PGDATABASE": DATABASE})
    backup = subprocess.run(
        [str(BACKUP / "showcase-backup.sh")], env={**env, "SHOWCASE_BACKUP_DIR": str(tmp_path)}, **RUN
    )
    assert backup.returncode == 0, backup.stderr
    try:
        restore = subprocess.run(
            [str(BACKUP / "showcase-restore.sh"), backup.stdout.strip(), RESTORED], env=env, **RUN
        )
        assert restore.returncode == 0, restore.stderr

        assert [count(cluster.primary_port, table, RESTORED) for table in TABLES] == [
            count(cluster.primary_port, table) for table in TABLES
        ]
    finally:
        subprocess.run(["dropdb", "--if-exists", RESTORED], env=env, **RUN)


def test_stopping_the_replica_then_redis_leaves_every_page_answering_and_loses_nothing(
    cluster, node_a, node_b
):
    officer = Visitor({"sessionid": cluster.seeded["officer"]})
    words = []
    answers = []
    for stop in (cluster.replica.stop, cluster.redis.stop):
        stop()
        for port in (node_a, node_b):
            answers += [(port, path, Visitor().get(port, path).status) for path in PAGES]
            answers.append((port, "/account/", officer.get(port, "/account/").status))
        words.append(unique_word())
        assert officer.post(node_a, "/alerts/follow/", {"query": f"q={words[-1]}"}).status == 302

    assert [answer for answer in answers if answer[2] != 200] == []
    follows = "SELECT count(*) FROM peers_follow WHERE query = ANY(%s)"
    assert query(cluster.primary_port, follows, [f"q={word}" for word in words]) == 2


def test_restarting_them_restores_the_split_without_restarting_the_app(cluster, node_b):
    pids = [node.process.pid for node in cluster.nodes]
    cluster.replica.start()
    cluster.redis.start()
    wait_until(lambda: replica_caught_up(cluster), 30, "the replica to catch up")

    wait_until(lambda: search_served_by(cluster, node_b) == "replica", 30, "reads to reach the replica again")
    visitor = Visitor()
    visitor.get(node_b, "/councils/")

    assert visitor.get(node_b, "/councils/").headers.get("x-page-cache") == "hit"
    assert [node.process.pid for node in cluster.nodes] == pids
