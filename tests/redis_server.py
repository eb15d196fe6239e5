"""A real redis-server (Debian's package) on 127.0.0.1, for tests of the shared
cache: started and stopped at will.

Where redis-server is missing the tests that need it are skipped, or under
CI=true fail (tests/run_suites.py installs it as root, as it does PostgreSQL)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_or_skip() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    message = "redis-server is not installed (sudo apt-get install -y redis-server)"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true this may not be skipped")
    pytest.skip(message)
    return ""


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"Gave up waiting for {what} after {timeout}s")


class LoopbackRedis:
    """redis-server on a port of its own, keeping nothing on disk."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="showcase-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        command = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.folder), "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ping, 15, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        self.process.wait(timeout=15)

    def command(self, name: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(name + b"\r\n")
            return sock.recv(64)

    def save(self) -> None:
        """Write what it holds to disk, to be read back by the next start (a restart that loses nothing)."""
        assert self.command(b"SAVE").startswith(b"+OK")

    def flush(self) -> None:
        self.command(b"FLUSHALL")
        (self.folder / "dump.rdb").unlink(missing_ok=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
