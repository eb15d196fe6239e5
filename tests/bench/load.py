"""Driving the site from outside: wrk walking files of paths, and just enough
of a browser to sign in and publish as a curator while the load runs."""

import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

WALK = Path(__file__).with_name("walk.lua")


def wrk(
    base: str,
    paths: Path,
    *,
    connections: int,
    seconds: float,
    cookie: str = "",
    meter: "CpuMeter | None" = None,
) -> dict:
    """Ask for the paths in ``paths`` in order, ``connections`` at a time, for at most
    ``seconds`` (and never beyond the file: each address once); with a meter, also the
    CPU the web workers and the database used per request."""
    before = meter.sample() if meter else None
    output = subprocess.run(
        [
            "wrk",
            f"-t{connections}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(WALK),
            base,
            "--",
            str(paths),
            str(connections),
            cookie,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / max(result["seconds"], 1e-9)
    if meter:
        used = CpuMeter.used_ms(before, meter.sample())
        result["cpu"] = {name: ms / max(result["requests"], 1) for name, ms in used.items()}
    return result


def segment(source: Path, start: int, stop: int, into: Path) -> Path:
    """Lines [start, stop) of a paths file, as a file of their own."""
    lines = source.read_text().splitlines()[start:stop]
    into.write_text("\n".join(lines) + "\n")
    return into


def repeated(path: str, times: int, into: Path) -> Path:
    into.write_text((path + "\n") * times)
    return into


def timed_get(url: str, cookie: str = "") -> tuple[int, float, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback http)
            response.read()
            status, cached = response.status, response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        status, cached = error.code, ""
    return status, (time.perf_counter() - started) * 1000, cached


class Visitor:
    """Keeps its own cookies (production cookies are Secure and this talks plain
    HTTP on loopback) and fills in CSRF tokens."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.base, self.cookies = f"http://127.0.0.1:{port}", dict(cookies or {})

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": self.base + path,
        }
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (loopback)
        try:
            response = urllib.request.urlopen(request, timeout=120)  # noqa: S310 (loopback http)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status if hasattr(response, "status") else response.code, response.read().decode()

    def post_form(self, page: str, action: str, data: dict) -> int:
        _, html = self.open(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.open(action, {"csrfmiddlewaretoken": token, **data})[0]


class Publisher:
    """A curator publishing waiting case studies through the site, one after another."""

    def __init__(self, port: int, session: str, waiting: list[int]):
        self.curator, self.waiting, self.done = Visitor(port, {"sessionid": session}), list(waiting), []

    def publish_next(self) -> float:
        pk = self.waiting.pop(0)
        started = time.perf_counter()
        status = self.curator.post_form(
            f"/review/case-studies/{pk}/", f"/review/case-studies/{pk}/publish/", {}
        )
        self.done.append((pk, status))
        return (time.perf_counter() - started) * 1000

    def every(self, seconds: float, stop: threading.Event) -> threading.Thread:
        def run():
            while not stop.wait(seconds) and self.waiting:
                self.publish_next()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread


def worker_peak_rss_mb(master: subprocess.Popen) -> float:
    """The largest peak resident memory of a gunicorn master's workers."""
    peaks = []
    for child in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User and system CPU ticks each process has used so far."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = int(fields[11]) + int(fields[12])
    return found


class CpuMeter:
    """CPU used by the web workers and by the database's processes over a measurement,
    whatever else the machine is doing: what each request costs, not what it waited."""

    def __init__(self, web_master: int, database_master: int | None):
        self.web_master, self.database_master = web_master, database_master

    def processes(self) -> dict[str, list[int]]:
        found = {"web": children(self.web_master)}
        if self.database_master:
            found["database"] = [self.database_master, *children(self.database_master)]
        return found

    def sample(self) -> dict[str, dict[int, int]]:
        return {name: cpu_ticks(pids) for name, pids in self.processes().items()}

    @staticmethod
    def used_ms(before: dict, after: dict) -> dict[str, float]:
        return {
            name: sum(ticks - before.get(name, {}).get(pid, 0) for pid, ticks in now.items()) * 1000 / TICKS
            for name, now in after.items()
        }
