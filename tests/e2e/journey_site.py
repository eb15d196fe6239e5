"""The site as officers meet it, for the journey tests: one web server, one task
worker (`manage.py run_worker` in its own process, production settings) and one
SMTP server on the loopback interface, shared by every journey in a module on
one database loaded with the demo.

Nothing here signs anyone in or sends anything: the journeys do that through
the pages. What this gives them is what a person has beside the browser: an
inbox (the messages the SMTP server received) and a way to keep a picture of
each page (build/screenshots/<database>/).

Why not pytest-django's `live_server` and `transactional_db`: they flush the
database after every test, and a worker in another process must read the
database the server writes. So the module gets its own server thread on a
database both processes share (on SQLite a copy of the test database in a file
of its own), loaded once, and cleaned once at the end."""

import contextlib
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from tests.conftest import _forget_task_backends
from tests.core.worker_process import WorkerProcess, database_url, worker_environment
from tests.smtp_server import LoopbackSMTP

SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AT_ONCE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def use_task_backends(tasks: dict) -> None:
    settings.TASKS = tasks
    _forget_task_backends()


@contextlib.contextmanager
def _database_on_file(folder: Path) -> Iterator[str]:
    """This process and the worker on one database; yields its DATABASE_URL.

    PostgreSQL: the test database, emptied afterwards as a transactional test
    leaves it. SQLite: the (still empty) test database copied to a
    file, which every thread of this process opens instead until the end, so
    the suite's own database is left exactly as it was."""
    if connection.vendor != "sqlite":
        try:
            yield database_url(connection.settings_dict)
        finally:
            cache.clear()  # a table flush leaves alone
            call_command("flush", interactive=False, verbosity=0)
            # Closed, or dropping the test database at the end finds it still open.
            connections.close_all()
        return
    in_memory = connections["default"]
    in_memory.ensure_connection()
    path = folder / "journeys.sqlite3"
    with sqlite3.connect(path) as copy:
        in_memory.connection.backup(copy)
    copy.close()
    original = connections.settings["default"]
    on_file_settings = {**original, "NAME": str(path)}
    # New connections in any thread (the server's) are made from this.
    connections.settings["default"] = on_file_settings
    connections["default"] = in_memory.__class__(on_file_settings, alias="default")
    try:
        yield database_url(on_file_settings)
    finally:
        connections["default"].close()
        connections.settings["default"] = original
        connections["default"] = in_memory


@contextlib.contextmanager
def _web_server() -> Iterator[str]:
    """Django's live server thread, each request on its own connection."""
    thread = LiveServerThread("localhost", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()


@dataclass
class Inbox:
    """What the SMTP server received, read as a person reads their email."""

    smtp: LoopbackSMTP

    def about(self, *, to: str, subject: str = "") -> list[EmailMessage]:
        """Messages to `to` whose subject contains `subject`, oldest first."""
        return [
            received.message
            for received in self.smtp.received
            if to in received.rcpt_tos and subject.lower() in str(received.message["Subject"]).lower()
        ]

    def wait_for(self, *, to: str, subject: str = "", after: int = 0, timeout: float = 20) -> EmailMessage:
        """The first message to `to` about `subject` beyond the `after` already there
        (an old sign-in link is spent), waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        while len(found := self.about(to=to, subject=subject)) <= after:
            if time.monotonic() > deadline:
                seen = [(r.rcpt_tos, str(r.message["Subject"])) for r in self.smtp.received]
                raise AssertionError(f"No new email to {to} about {subject!r} within {timeout}s; got {seen}")
            time.sleep(0.05)
        return found[after]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, path: str) -> str:
    """The first link in the email's text whose path starts with `path`."""
    found = re.search(rf"https?://[^\s/]+{re.escape(path)}\S*", body(message))
    assert found, f"No {path} link in:\n{body(message)}"
    return found.group(0)


@dataclass
class Screenshots:
    """A full-page picture of each key page at desktop and phone width. The
    phone's is a fresh visit to the same address in the same session, so the
    page is laid out (and its scripts run) as a phone would load it: only for
    pages a GET shows."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page, name: str) -> None:
        desktop = self.folder / f"{name}-1280.png"
        page.screenshot(path=desktop, full_page=True)
        phone = page.context.new_page()
        try:
            phone.set_viewport_size(PHONE)
            phone.goto(page.url)
            phone.screenshot(path=self.folder / f"{name}-390.png", full_page=True)
        finally:
            phone.close()
        self.taken += [desktop, self.folder / f"{name}-390.png"]


@dataclass
class JourneySite:
    url: str
    inbox: Inbox
    worker: WorkerProcess
    screenshots: Screenshots
    new_browser: Callable


def wait_until_the_queue_is_done(timeout: float = 30) -> None:
    """Until the worker has run every task that is due (none ready, none running)."""
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists():
        assert time.monotonic() < deadline, f"The worker left tasks undone after {timeout}s"
        time.sleep(0.1)


def database_label() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


@contextlib.contextmanager
def journey_site(*, browser, smtp: LoopbackSMTP, folder: Path) -> Iterator[JourneySite]:
    screenshots = SCREENSHOTS / database_label()
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir(parents=True)
    contexts = []

    def new_browser():
        """A browser of its own (cookies and all), as another person on another machine."""
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        return context.new_page()

    with (
        _database_on_file(folder) as database,
        override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"]),
    ):
        use_task_backends(AT_ONCE)  # loaded as the demo fixture loads it
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        use_task_backends(DATABASE_QUEUE)
        with _web_server() as url, override_settings(SITE_URL=url):
            # Both processes put this site's address in the links they email, as production's share one.
            env = worker_environment(
                folder, database, smtp, SITE_URL=url, SECRET_KEY=settings.SECRET_KEY, LOG_LEVEL="INFO"
            )
            worker = WorkerProcess(folder / "worker.log", env)
            try:
                yield JourneySite(url, Inbox(smtp), worker, Screenshots(screenshots), new_browser)
            finally:
                for context in contexts:
                    context.close()
                worker.stop()
