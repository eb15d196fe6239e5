"""A real `manage.py run_worker` in its own process, with production settings,
on a database the test can share (see the shared_database fixture)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.helpers import PRODUCTION

# Short enough for tests of a few seconds; the worker beats every quarter of it.
TEST_LEASE_SECONDS = 2


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL another process needs to open this connection's database."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


class WorkerProcess:
    def __init__(self, log_path: Path, env: dict[str, str], *arguments: str) -> None:
        self.log_path = log_path
        command = [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.1",
            "--max-backoff=1",
            *arguments,
        ]
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 15, count: int = 1) -> bool:
        deadline = time.monotonic() + timeout
        while self.log.count(text) < count and time.monotonic() < deadline and self.alive:
            time.sleep(0.05)
        return self.log.count(text) >= count

    def kill(self) -> None:
        """As the kernel's OOM killer or a pulled plug would: no chance to tidy up."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_environment(tmp_path: Path, database: str, smtp_server, **extra: str) -> dict[str, str]:
    inherited = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    return {
        **inherited,
        **PRODUCTION,
        **smtp_server.environment(),
        "DATABASE_URL": database,
        "STATIC_ROOT": str(tmp_path / "static"),
        "SITE_URL": "https://showcase.example",
        "WORKER_LEASE_SECONDS": str(TEST_LEASE_SECONDS),
        "TASK_RETRY_DELAYS": "0",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_until(condition, timeout: float = 15, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close_if_unusable_or_obsolete()
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
