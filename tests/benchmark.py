"""`make bench`: how fast the site answers officers as they use it, as the shelves grow.

Loads the council register and N generated case studies into a throwaway
PostgreSQL (or an SQLite file: BENCH_DATABASE=sqlite), runs gunicorn with
production settings (the page cache on) and the task worker, and drives it
from outside with wrk, one address after another from files where no address
repeats (tests/bench/addresses.py: searches in council vocabulary with slips of
the keyboard, searches with filters, filter combinations, case studies, council
pages, the home page from campaign links). Measures, at each size:

- every address new, one request at a time (latency) and four at a time
  (throughput, as a share of /healthz's in the same run);
- the same pages for a signed-in officer (never cached);
- the first request after a curator publishes, through the site;
- a mix of popular and new addresses, with and without a curator publishing
  during it: latency, failures and the page cache's hit rate (X-Page-Cache);
- one address repeated (cache hits; the old headline, kept and labelled);
- gunicorn workers' peak memory, and a worker's while it streams the whole CSV;
- on PostgreSQL at the largest size, EXPLAIN (ANALYZE, BUFFERS) of the costliest
  queries of pages built afresh, and two instances sharing one state.

Writes docs/benchmarks.md (newest run first), with each target met or missed.

Environment: BENCH_DATABASE (postgresql or sqlite), BENCH_SIZES (default
"10000,100000" on PostgreSQL, "10000" on SQLite), BENCH_SECONDS (each one-at-a-
time measurement, default 20), BENCH_CONCURRENT_SECONDS (each four-at-a-time
one, default 15), BENCH_ROUNDS (publishes probed, default 8), BENCH_OUTPUT (where
to write, default docs/benchmarks.md)."""

import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.bench import load, report
from tests.run_suites import PYTHON, ROOT, banner, ensure, find_pg_bin, free_port, throwaway_postgres

REGISTER = ROOT.parent / "shared" / "data" / "uk_local_authorities_current.csv"
WORKERS = 2
KINDS = ["home", "search", "search with filters", "filtered list", "case study", "council"]
# Where each use of a kind's addresses starts and stops in its file, so no two measurements share one.
SLICES = {
    "steady": (0, 2500),
    "signed in": (2500, 3500),
    "four at a time": (3500, 7000),
    "mix": (7000, 7450),
    "mix with publishes": (7450, 7900),
    "after a publish": (7900, 7960),
    "warm": (7960, 8000),
}


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def shell(env: dict, code: str) -> dict:
    """Run ``code`` in a Django shell; it prints one line of JSON last."""
    return json.loads(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])


def start(command: list[str], env: dict, port: int | None = None) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _ in range(150):
        if port is None:
            return process
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{command[0]} on port {port} did not start")


def gunicorn(env: dict, port: int, workers: int = WORKERS) -> subprocess.Popen:
    # --timeout as the README advises: a whole export of 100,000 takes longer than the default 30 s.
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "showcase.wsgi",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return start(command, env, port)


def task_worker(env: dict) -> subprocess.Popen:
    has_own = (ROOT / "core" / "management" / "commands" / "run_worker.py").exists()
    return start([PYTHON, "manage.py", "run_worker" if has_own else "db_worker"], env)


@contextmanager
def database(kind: str):
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="showcase-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.sqlite3'}", None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    pg_bin = ensure("PostgreSQL 15", find_pg_bin, "postgresql-15", "sudo apt-get install -y postgresql-15")
    if pg_bin is None:
        raise SystemExit(1)
    with throwaway_postgres(pg_bin) as url:
        port = url.rsplit(":", 1)[1].split("/")[0]
        subprocess.run(
            [str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "showcase"],
            check=True,
        )
        yield url, pg_bin


def settings_env(url: str, static: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "100000000/minute",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "STATIC_ROOT": str(static),
        "LOG_LEVEL": "WARNING",
    }


def load_shelves(env: dict, more: int, seed: int) -> None:
    """Generate ``more`` case studies; the work that follows (figures, vectors) runs at once."""
    immediate = {**env, "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    manage(immediate, "generate_bench_data", "--case-studies", str(more), "--seed", str(seed))
    manage(env, "shell", "-c", VACUUM)


VACUUM = """
from django.db import connection
if connection.vendor == "postgresql":
    connection.cursor().execute("VACUUM ANALYZE")
else:
    connection.cursor().execute("ANALYZE")
"""

PEOPLE = """
import json
from django.contrib.auth.models import User
from django.test import Client
from casestudies.models import CaseStudy
from councils.models import Council, Membership, MembershipStatus
curator, _ = User.objects.get_or_create(
    username="bench-curator", defaults={"is_staff": True, "email": "c@example.org"}
)
officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"email": "o@example.gov.uk"})
Membership.objects.get_or_create(user=officer, council=Council.objects.order_by("pk").first(),
                                 defaults={"status": MembershipStatus.CONFIRMED})
sessions = {}
for name, user in [("curator", curator), ("officer", officer)]:
    client = Client(); client.force_login(user); sessions[name] = client.cookies["sessionid"].value
waiting = CaseStudy.objects.filter(publication_state="submitted").order_by("pk")
waiting = list(waiting.values_list("pk", flat=True))
published = CaseStudy.objects.published().count()
print(json.dumps({**sessions, "waiting": waiting, "published": published}))
"""


def slices(paths: Path, folder: Path) -> dict[str, dict[str, Path]]:
    """Each kind's file cut into the SLICES, each a file of its own."""
    cut = {}
    for use, (first, last) in SLICES.items():
        cut[use] = {
            kind: load.segment(
                paths / f"{kind.replace(' ', '-')}.txt",
                first,
                last,
                folder / f"{use.replace(' ', '-')}-{kind.replace(' ', '-')}.txt",
            )
            for kind in KINDS
        }
    return cut


def measure_kinds(
    base: str, files: dict[str, Path], *, connections: int, seconds: float, cookie="", meter=None
) -> dict:
    found = {}
    for kind in KINDS:
        found[kind] = load.wrk(
            base, files[kind], connections=connections, seconds=seconds, cookie=cookie, meter=meter
        )
        r = found[kind]
        print(
            f"  {kind:<20} c={connections}: p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
            f"{r['rps']:6.1f}/s  failed {r['failed']}",
            flush=True,
        )
    return found


def healthz(base: str, folder: Path, seconds: float) -> dict:
    path = load.repeated("/healthz", 200000, folder / "healthz.txt")
    return {c: load.wrk(base, path, connections=c, seconds=seconds) for c in (1, 4)}


def after_publishes(base: str, publisher: load.Publisher, files: dict[str, Path], rounds: int) -> dict:
    """After each publish, at once: a new address of every kind, and the plain home and list pages
    (cached before the publish, built again after it)."""
    addresses = {kind: files[kind].read_text().split() for kind in KINDS}
    times: dict[str, list[float]] = {
        kind: [] for kind in [*KINDS, "home (cached before)", "list (cached before)"]
    }
    load.timed_get(base + "/"), load.timed_get(base + "/case-studies/")
    for round_ in range(rounds):
        if not publisher.waiting:
            break
        publisher.publish_next()
        times["home (cached before)"].append(load.timed_get(base + "/")[1])
        times["list (cached before)"].append(load.timed_get(base + "/case-studies/")[1])
        for kind in KINDS:
            times[kind].append(load.timed_get(base + addresses[kind][round_])[1])
    return times


def mix_file(files: dict[str, Path], popular: list[str], into: Path, seed: int) -> Path:
    """Half new addresses of every kind, half the popular ones, repeated as people repeat them."""
    rng = random.Random(seed)
    new = [path for kind in KINDS for path in files[kind].read_text().split()]
    rng.shuffle(new)
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    mixed = [
        path for pair in zip(new, rng.choices(popular, weights, k=len(new)), strict=True) for path in pair
    ]
    into.write_text("\n".join(mixed) + "\n")
    return into


def mixes(
    base: str,
    port: int,
    cut: dict,
    popular: list[str],
    publisher: load.Publisher,
    folder: Path,
    seconds: float,
) -> dict:
    quiet = load.wrk(
        base, mix_file(cut["mix"], popular, folder / "mix.txt", 1), connections=4, seconds=seconds
    )
    stop = threading.Event()
    publishing = publisher.every(3.0, stop)
    before = len(publisher.done)
    busy = load.wrk(
        base,
        mix_file(cut["mix with publishes"], popular, folder / "mix-publishing.txt", 2),
        connections=4,
        seconds=seconds,
    )
    stop.set()
    publishing.join(timeout=60)
    busy["publishes"] = len(publisher.done) - before
    return {"mix": quiet, "mix with publishes": busy}


def cache_hits(base: str, folder: Path, seconds: float) -> dict:
    """The old headline, kept for what it is: one address again and again, served from the cache."""
    found = {}
    for name, path in [
        ("home", "/"),
        ("list", "/case-studies/"),
        ("search", "/case-studies/?q=shared+services"),
    ]:
        found[name] = load.wrk(
            base, load.repeated(path, 100000, folder / "same.txt"), connections=4, seconds=seconds
        )
    return found


def popular_addresses(cut: dict) -> list[str]:
    steady = {kind: cut["steady"][kind].read_text().split() for kind in KINDS}
    first = [path for kind in KINDS for path in steady[kind][:30]]
    return ["/", "/case-studies/", "/case-studies/?q=shared+services", "/councils/", *first]


def run_size(env: dict, size: int, folder: Path, seconds: float, concurrent: float, rounds: int) -> dict:
    paths = folder / "paths"
    manage(env, "shell", "-c", f"from tests.bench.addresses import write; write({str(paths)!r}, seed={size})")
    cut = slices(paths, folder)
    people = shell(env, PEOPLE)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    site, worker = gunicorn(env, port), task_worker(env)
    meter = load.CpuMeter(site.pid, postmaster())
    results: dict = {"published": people["published"]}
    try:
        load.wrk(base, cut["warm"]["search"], connections=2, seconds=5)  # each worker loads what it keeps
        results["healthz"] = healthz(base, folder, concurrent)
        print("  steady, one at a time, every address new:", flush=True)
        results["steady"] = measure_kinds(base, cut["steady"], connections=1, seconds=seconds, meter=meter)
        print("  four at a time:", flush=True)
        results["four"] = measure_kinds(base, cut["four at a time"], connections=4, seconds=concurrent)
        print("  a signed-in officer:", flush=True)
        officer = f"sessionid={people['officer']}"
        results["signed in"] = measure_kinds(
            base, cut["signed in"], connections=1, seconds=seconds, cookie=officer
        )
        publisher = load.Publisher(port, people["curator"], people["waiting"])
        results["after publish"] = after_publishes(base, publisher, cut["after a publish"], rounds)
        results["mixes"] = mixes(base, port, cut, popular_addresses(cut), publisher, folder, concurrent)
        results["repeated"] = cache_hits(base, folder, 5)
        results["memory"] = load.worker_peak_rss_mb(site)
    finally:
        for process in (site, worker):
            process.terminate()
            process.wait(timeout=60)
    results["export"] = measure_export(env)
    return results


def postmaster() -> int | None:
    """The throwaway PostgreSQL's postmaster (tests.run_suites says where its data is)."""
    data = os.environ.get("SHOWCASE_PG_DATA")
    if not data or not (Path(data) / "postmaster.pid").exists():
        return None
    return int((Path(data) / "postmaster.pid").read_text().split()[0])


def measure_export(env: dict) -> dict:
    """One worker's peak memory before and after streaming the whole CSV export."""
    port = free_port()
    site = gunicorn(env, port, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        urllib.request.urlopen(base + "/case-studies/", timeout=120).read()  # noqa: S310 (loopback http)
        # The list reads its facet table in a thread of its own (browse.facet_table): what the
        # worker keeps is counted before the export, not as the export's.
        time.sleep(10)
        figures = {"before": load.worker_peak_rss_mb(site)}
        started, size = time.monotonic(), 0
        with urllib.request.urlopen(base + "/case-studies/export.csv", timeout=900) as response:  # noqa: S310
            while chunk := response.read(1 << 16):
                size += len(chunk)
        figures.update(
            seconds=time.monotonic() - started, megabytes=size / 1e6, after=load.worker_peak_rss_mb(site)
        )
        return figures
    finally:
        site.terminate()
        site.wait(timeout=60)


EXPLAIN = """
import json, re
from django.db import connection
from django.test import Client
from casestudies.shelf_version import shelves_changed
paths = json.loads(PATHS)
seen = {}
def wrap(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("SELECT", "WITH")) and "showcase_cache" not in sql:
        seen.setdefault(sql, params)
    return execute(sql, params, many, context)
client = Client()
for path in paths:
    shelves_changed()
    client.get(path)  # warm this process
    shelves_changed()
    with connection.execute_wrapper(wrap):
        client.get(path)
plans = []
for sql, params in seen.items():
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\\n".join(row[0] for row in cursor.fetchall())
        text = cursor.mogrify(sql, params).decode()
    ms = float(re.search(r"Execution Time: ([\\d.]+)", plan).group(1))
    plans.append({"ms": ms, "sql": text, "plan": plan})
plans.sort(key=lambda found: -found["ms"])
print(json.dumps(plans[:2]))
"""


def explain(env: dict, paths: Path) -> list[dict]:
    """The two costliest queries of pages built afresh, with their plans."""
    chosen = [(paths / f"{kind.replace(' ', '-')}.txt").read_text().split()[-1] for kind in KINDS]
    return json.loads(
        manage(
            {**env, "PATHS": json.dumps(chosen)},
            "shell",
            "-c",
            f"import os; PATHS = os.environ['PATHS']\n{EXPLAIN}",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )


def shared_state_checks(env: dict) -> list[str]:
    """Two instances, one database: a limit reached through one holds on the other, and a
    publish through one shows on the other."""
    shell(
        env,
        "from councils.models import Council, EmailDomain; import json\n"
        "EmailDomain.objects.get_or_create(\n"
        "    council=Council.objects.get(code='SHA'), domain='southhams.gov.uk')\n"
        "print(json.dumps({}))",
    )
    port_a, port_b = free_port(), free_port()
    a, b = gunicorn(env, port_a), gunicorn(env, port_b)
    try:
        form = {"email": "bench@southhams.gov.uk"}
        through_a = [load.Visitor(port_a).post_form("/sign-in/", "/sign-in/", form) for _ in range(5)]
        through_b = load.Visitor(port_b).post_form("/sign-in/", "/sign-in/", form)
        people = shell(env, PEOPLE)
        pk = people["waiting"][-1]
        slug = shell(
            env,
            f"import json; from casestudies.models import CaseStudy; "
            f"print(json.dumps(CaseStudy.objects.get(pk={pk}).slug))",
        )
        before = load.Visitor(port_b).open(f"/case-studies/{slug}/")[0]
        load.Publisher(port_a, people["curator"], [pk]).publish_next()
        after = load.Visitor(port_b).open(f"/case-studies/{slug}/")[0]
    finally:
        for process in (a, b):
            process.terminate()
            process.wait(timeout=60)
    return [
        f"Sign-in links for one address: 5 asked through one instance answered {through_a}; the 6th, through "
        f"the other, answered {through_b} (429: the limit is shared).",
        f"A submitted case study published through one instance: its page on the other answered {before} "
        f"before and {after} after.",
    ]


def main() -> int:
    kind = os.environ.get("BENCH_DATABASE", "postgresql")
    default_sizes = "10000,100000" if kind == "postgresql" else "10000"
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", default_sizes).split(",")]
    seconds = float(os.environ.get("BENCH_SECONDS", "20"))
    concurrent = float(os.environ.get("BENCH_CONCURRENT_SECONDS", "15"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "8"))
    if (
        ensure("wrk (load generator)", lambda: shutil.which("wrk"), "wrk", "sudo apt-get install -y wrk")
        is None
    ):
        return 1
    started = datetime.datetime.now(datetime.UTC)
    runs, plans, findings = {}, [], []
    folder = Path(tempfile.mkdtemp(prefix="showcase-bench-paths-"))
    with database(kind) as (url, pg_bin):
        env = settings_env(url, folder / "static")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "import_councils", str(REGISTER))
        loaded = 0
        for size in sizes:
            banner(f"{size:,} case studies on {kind}")
            load_shelves(env, size - loaded, size)
            loaded = size
            (folder / str(size)).mkdir()
            runs[size] = run_size(env, size, folder / str(size), seconds, concurrent, rounds)
        if kind == "postgresql":
            plans = explain(env, folder / str(sizes[-1]) / "paths")
            findings = shared_state_checks(env)
    shutil.rmtree(folder, ignore_errors=True)
    text = report.write(kind, runs, plans, findings, started, pg_bin, WORKERS, KINDS)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
