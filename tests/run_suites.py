"""Run the whole pytest suite on SQLite, then on a throwaway PostgreSQL 15.

`make test` calls this. The PostgreSQL cluster is created with initdb and
pg_ctl as the `postgres` user in a temporary folder and removed afterwards,
even when tests fail. Browser tests need Debian's `chromium`.

Where PostgreSQL or Chromium is missing: as root, install it with apt;
otherwise say how to install it and skip that part loudly, or, under CI=true,
fail. The same goes for redis-server (the shared cache's tests and the cluster
test in tests/cluster/) and nginx (the deployment examples in deploy/).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Browser journeys keep pictures of the key pages here, a folder per database (tests/e2e/journey_site.py).
SCREENSHOTS = ROOT / "build" / "screenshots"
PG_BIN_DIRS = ["/usr/lib/postgresql/15/bin"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def banner(message: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n{message}\n{line}", flush=True)


def is_root() -> bool:
    return os.geteuid() == 0


def apt_install(package: str) -> bool:
    banner(f"Installing Debian's {package} package with apt (running as root).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    if update.returncode != 0:
        return False
    install = subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env, check=False)
    return install.returncode == 0


def find_pg_bin() -> Path | None:
    for directory in PG_BIN_DIRS:
        if (Path(directory) / "pg_ctl").exists() and (Path(directory) / "initdb").exists():
            return Path(directory)
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    return None


def ensure(what: str, finder, package: str, how: str):
    """Find a tool, installing it as root; else explain and skip, or fail in CI."""
    found = finder()
    if found:
        return found
    if is_root() and apt_install(package):
        found = finder()
        if found:
            return found
    message = f"{what} is not available. Install it with:\n    {how}"
    if IN_CI:
        banner(f"FAILING: {message}\n(CI=true, so this part may not be skipped.)")
        sys.exit(2)
    banner(f"SKIPPING {what.upper()} TESTS: {message}")
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_postgres(pg_bin: Path) -> Iterator[str]:
    """A fresh cluster owned by `postgres` in a temp folder; yields a DATABASE_URL."""
    workdir = Path(tempfile.mkdtemp(prefix="showcase-pg-"))
    datadir = workdir / "data"
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if is_root() else []
    if is_root():
        shutil.chown(workdir, user="postgres")
    started = False
    try:
        subprocess.run(
            [
                *as_postgres,
                str(pg_bin / "initdb"),
                "-D",
                str(datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [
                *as_postgres,
                str(pg_bin / "pg_ctl"),
                "-D",
                str(datadir),
                "-o",
                options,
                "-l",
                str(workdir / "postgres.log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        print(f"Throwaway PostgreSQL running on 127.0.0.1:{port} in {workdir}", flush=True)
        # What a resilience test needs to stop and restart this cluster.
        os.environ["SHOWCASE_PG_CTL"] = " ".join([*as_postgres, str(pg_bin / "pg_ctl")])
        os.environ["SHOWCASE_PG_DATA"] = str(datadir)
        os.environ["SHOWCASE_PG_OPTIONS"] = options
        os.environ["SHOWCASE_PG_LOG"] = str(workdir / "postgres.log")
        yield f"postgres://postgres@127.0.0.1:{port}/showcase"
    finally:
        if started:
            subprocess.run(
                [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)
        print("Throwaway PostgreSQL stopped and removed.", flush=True)


def pytest(label: str, env: dict[str, str], extra: list[str]) -> int:
    banner(f"Test suite on {label}")
    result = subprocess.run([PYTHON, "-m", "pytest", *extra], cwd=ROOT, env=env, check=False)
    # 5 means no tests were collected, which for us is a failure, not a pass.
    return result.returncode


def screenshots_taken() -> list[str]:
    """Each database's folder of screenshots from this run, with how many it holds."""
    folders = sorted(path for path in SCREENSHOTS.glob("*") if path.is_dir()) if SCREENSHOTS.is_dir() else []
    return [
        f"{folder.relative_to(ROOT)}/ ({len(list(folder.glob('*.png')))} pictures)"
        for folder in folders
        if any(folder.glob("*.png"))
    ]


def main() -> int:
    extra = sys.argv[1:]
    # Only this run's pictures: a database whose browser tests were skipped shows none.
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    chromium = ensure(
        "Chromium (browser tests)",
        lambda: shutil.which("chromium"),
        "chromium",
        "sudo apt-get update && sudo apt-get install -y chromium",
    )
    if chromium is None:
        base_env["SHOWCASE_SKIP_E2E"] = "Debian's chromium package is not installed"

    # The shared cache's tests and the cluster test (tests/cluster/) run a real redis-server.
    ensure(
        "redis-server (shared cache and cluster tests)",
        lambda: shutil.which("redis-server"),
        "redis-server",
        "sudo apt-get update && sudo apt-get install -y redis-server",
    )
    # deploy/nginx/ is checked with `nginx -t` (tests/cluster/test_deploy_files.py).
    ensure(
        "nginx",
        lambda: shutil.which("nginx"),
        "nginx",
        "sudo apt-get update && sudo apt-get install -y nginx",
    )
    results: dict[str, int] = {}
    results["SQLite"] = pytest("SQLite", base_env, extra)

    pg_bin = ensure(
        "PostgreSQL 15",
        find_pg_bin,
        "postgresql-15",
        "sudo apt-get update && sudo apt-get install -y postgresql-15 postgresql-contrib",
    )
    if pg_bin is not None:
        with throwaway_postgres(pg_bin) as url:
            pg_env = {**base_env, "DATABASE_URL": url}
            pg_env.update({k: v for k, v in os.environ.items() if k.startswith("SHOWCASE_PG_")})
            results["PostgreSQL"] = pytest("PostgreSQL 15", pg_env, extra)

    banner(
        "Summary: "
        + ", ".join(
            f"{name} {'passed' if code == 0 else f'FAILED (exit {code})'}" for name, code in results.items()
        )
    )
    taken = screenshots_taken()
    if taken:
        print("Screenshots of the key pages at 1280 and 390 pixels wide: " + ", ".join(taken))
    if chromium is None:
        print("Browser tests were SKIPPED: install Debian's chromium package to run them.")
    if pg_bin is None:
        print("PostgreSQL tests were SKIPPED: install Debian's postgresql-15 package to run them.")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
