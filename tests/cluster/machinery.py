"""The parts of a small Showcase cluster on loopback, as the README's deployment
guide lays one out: the throwaway PostgreSQL that `make test` starts as the
primary, a streaming replica of it made with pg_basebackup -R, a redis-server,
two gunicorn nodes on ports of their own and two workers. Each part can be
stopped and started again while the others run."""

import http.client
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from tests.helpers import PRODUCTION
from tests.redis_server import free_port, wait_until

HOST = "showcase.example"


def postgres_tools() -> tuple[list[str], Path]:
    """How the throwaway cluster is run (tests/run_suites.py): as whom, and where its programs are."""
    parts = shlex.split(os.environ["SHOWCASE_PG_CTL"])
    return parts[:-1], Path(parts[-1]).parent


class Replica:
    """A hot standby of the primary on 127.0.0.1, logging every statement it runs."""

    def __init__(self, folder: Path, primary_port: int) -> None:
        self.as_postgres, self.bin = postgres_tools()
        self.folder = folder
        self.data = folder / "replica"
        self.log_path = folder / "replica.log"
        self.port = free_port()
        self.primary_port = primary_port

    def create(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, user="postgres")
        command = [str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port)]
        command += ["-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"]
        subprocess.run([*self.as_postgres, *command], check=True, stdout=subprocess.DEVNULL, timeout=120)

    def _pg_ctl(self, *arguments: str, check: bool = True) -> None:
        command = [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), *arguments]
        subprocess.run(
            command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-o", options, "-l", str(self.log_path), "-w", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop", check=False)  # stopped already is stopped

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Visitor:
    """A browser, as far as the site can tell: cookies kept, CSRF token sent back,
    arriving through the TLS-terminating load balancer (X-Forwarded-Proto)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> Answer:
        headers = self._headers()
        body = None
        if method == "POST":
            token = self.cookies.setdefault("csrftoken", secrets.token_hex(16))
            body = urllib.parse.urlencode({**(form or {}), "csrfmiddlewaretoken": token})
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{HOST}/"}
            )
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", errors="replace")
            self._keep_cookies(response)
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, content)
        finally:
            connection.close()

    def get(self, port: int, path: str) -> Answer:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict | None = None) -> Answer:
        return self.request(port, "POST", path, form)


class Process:
    """A long-running program of the cluster, its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], folder: Path) -> None:
        self.name, self.command, self.env = name, command, env
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


class Node(Process):
    """gunicorn serving the site on a port of its own."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", "showcase.wsgi", "-b", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5"]
        super().__init__(name, command, env, folder)

    def healthy(self) -> bool:
        try:
            return Visitor().get(self.port, "/healthz").status == 200
        except OSError:
            return False

    def start(self) -> None:
        super().start()
        wait_until(self.healthy, 60, f"{self.name} to answer /healthz")


def worker(name: str, env: dict[str, str], folder: Path) -> Process:
    command = [
        sys.executable,
        "manage.py",
        "run_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0.1",
    ]
    return Process(name, command, env, folder)


def site_environment(*, database: str, replica: str, redis: str, smtp: dict[str, str]) -> dict[str, str]:
    inherited = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    return {
        **inherited,
        **PRODUCTION,
        **smtp,
        "ALLOWED_HOSTS": HOST,
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URLS": replica,
        "DATABASE_REPLICA_CHECK_SECONDS": "1",
        "REDIS_URL": redis,
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "SITE_URL": f"https://{HOST}",
        "PAGE_CACHE_SECONDS": "300",
        "TASK_RETRY_DELAYS": "0",
        "WORKER_LEASE_SECONDS": "5",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
