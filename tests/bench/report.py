"""docs/benchmarks.md: the figures of one run of `make bench`, each target met or missed."""

import os
import platform
import re
import subprocess
from pathlib import Path

DOCS = Path(os.environ.get("BENCH_OUTPUT", Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"))
HEADER = "# Benchmarks\n\nWritten by `make bench` (tests/benchmark.py). Newest run first.\n\n"
SEARCHES = ["search", "search with filters"]


def machine(pg_bin, workers: int) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024
    database = "SQLite " + __import__("sqlite3").sqlite_version
    if pg_bin is not None:
        database = subprocess.run(
            [str(pg_bin / "postgres"), "--version"], capture_output=True, text=True
        ).stdout
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:,} MB RAM, {platform.platform()}, Python "
        f"{platform.python_version()}, {database.strip()}, gunicorn with {workers} sync workers and the task "
        f"worker beside it, wrk on the same machine; load average {load:.1f} when the run ended"
    )


def steady_table(result: dict, kinds: list[str]) -> list[str]:
    lines = [
        "| page | requests | p50 ms | p95 ms | p99 ms | max ms | failed | built / from cache "
        "| web CPU ms | database CPU ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in kinds:
        r = result["steady"][kind]
        lines.append(
            f"| {kind} | {r['requests']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
            f"{r['max']:.0f} | "
            f"{r['failed'] + r['socket_errors']} | {r['misses']} / {r['hits']} | {cpu(r, 'web')} | "
            f"{cpu(r, 'database')} |"
        )
    return lines


def cpu(result: dict, where: str) -> str:
    used = result.get("cpu", {}).get(where)
    return "-" if used is None else f"{used:.1f}"


def four_table(result: dict, kinds: list[str]) -> list[str]:
    floor = result["healthz"][4]["rps"]
    lines = [
        f"/healthz in the same run: {floor:.0f} requests a second four at a time "
        f"({result['healthz'][1]['rps']:.0f} one at a time).",
        "",
        "| page | req/s | share of /healthz | p50 ms | p95 ms | failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in kinds:
        r = result["four"][kind]
        lines.append(
            f"| {kind} | {r['rps']:.1f} | {r['rps'] / floor:.3f} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['failed'] + r['socket_errors']} |"
        )
    return lines


def signed_in_table(result: dict, kinds: list[str]) -> list[str]:
    lines = [
        "| page | p50 ms | p95 ms | p50 against anonymous | p95 against anonymous | failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in kinds:
        r, a = result["signed in"][kind], result["steady"][kind]
        lines.append(
            f"| {kind} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p50'] / max(a['p50'], 0.1):.2f} | "
            f"{r['p95'] / max(a['p95'], 0.1):.2f} | {r['failed'] + r['socket_errors']} |"
        )
    return lines


def steady_p95(result: dict, probe: str) -> float:
    kind = {"home (cached before)": "home", "list (cached before)": "filtered list"}.get(probe, probe)
    return result["steady"][kind]["p95"]


def after_publish_table(result: dict) -> list[str]:
    lines = [
        "| page | probes | median ms | slowest ms | steady p95 ms | slowest against steady p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for probe, times in result["after publish"].items():
        if not times:
            continue
        ordered = sorted(times)
        lines.append(
            f"| {probe} | {len(times)} | {ordered[len(ordered) // 2]:.0f} | {ordered[-1]:.0f} | "
            f"{steady_p95(result, probe):.0f} | {ordered[-1] / max(steady_p95(result, probe), 0.1):.2f} |"
        )
    return lines


def mix_table(result: dict) -> list[str]:
    lines = [
        "| four at a time | requests | req/s | p50 ms | p95 ms | p99 ms | failed | page cache hits "
        "| publishes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in result["mixes"].items():
        cached = r["hits"] + r["misses"]
        rate = f"{r['hits'] / cached:.0%}" if cached else "-"
        lines.append(
            f"| {name} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | "
            f"{r['failed'] + r['socket_errors']} | {rate} | {r.get('publishes', 0)} |"
        )
    return lines


def repeated_table(result: dict) -> list[str]:
    lines = ["| page | req/s | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for name, r in result["repeated"].items():
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} |")
    return lines


def size_section(size: int, result: dict, kinds: list[str]) -> list[str]:
    e = result["export"]
    return [
        f"### {size:,} case studies ({result['published']:,} published)",
        "",
        "**One request at a time, every address new** (page cache on, as in production; each page is built "
        "for the request because nobody asked for that address before). The CPU columns are what the "
        "gunicorn workers and the database's processes used per request, whatever else the machine was "
        "doing (on SQLite the database works inside the web worker):",
        "",
        *steady_table(result, kinds),
        "",
        "**Four at a time, every address new** (throughput):",
        "",
        *four_table(result, kinds),
        "",
        "**A signed-in officer, one at a time** (never served from the page cache), against the same kind "
        "of page built afresh for an anonymous visitor above:",
        "",
        *signed_in_table(result, kinds),
        "",
        "**The first request after a curator publishes** (through the review page; then at once one new "
        "address of each kind, and the plain home and list pages, which were cached before the publish):",
        "",
        *after_publish_table(result),
        "",
        "**A mix of popular and new addresses** (half each; popular ones repeat as people repeat them), "
        "without and with a curator publishing every 3 seconds during it:",
        "",
        *mix_table(result),
        "",
        "**One address again and again** (served from the page cache after the first request; what the "
        "old headline table measured, kept for what it is):",
        "",
        *repeated_table(result),
        "",
        f"Peak resident memory of a gunicorn worker after all of the above: {result['memory']:.0f} MB. "
        f"The whole CSV export, streamed: {e['megabytes']:.0f} MB in {e['seconds']:.0f} s; one worker's peak "
        f"memory {e['before']:.0f} MB before it and {e['after']:.0f} MB after.",
        "",
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(kind: str, runs: dict) -> list[str]:
    sizes = sorted(runs)
    lines = ["### Targets", ""]
    limits = {
        10000: {"search with filters": 60, "filtered list": 40, "case study": 30, "home": 30, "council": 30},
        100000: {"search with filters": 150, "case study": 40, "home": 40, "council": 40},
    }
    if kind == "sqlite":
        limits = {10000: {"search with filters": 100}}
    for size in sizes:
        for page, limit in limits.get(size, {}).items():
            p95 = runs[size]["steady"][page]["p95"]
            lines.append(
                f"- {size:,}, {page}, one at a time, p95 {p95:.0f} ms (target {limit}): "
                f"{verdict(p95 <= limit)}."
            )
    if 10000 in runs and 100000 in runs:
        for page, small in runs[10000]["steady"].items():
            ratio = runs[100000]["steady"][page]["p95"] / max(small["p95"], 0.1)
            lines.append(
                f"- {page}: p95 at 100,000 is {ratio:.2f} times 10,000's (target at most 2.5): "
                f"{verdict(ratio <= 2.5)}."
            )
    for size in sizes:
        lines += size_targets(size, runs[size])
    return [*lines, ""]


def size_targets(size: int, result: dict) -> list[str]:
    lines = []
    floor = result["healthz"][4]["rps"]
    for page in SEARCHES:
        share = result["four"][page]["rps"] / floor
        lines.append(
            f"- {size:,}, {page}, four at a time: {share:.3f} of /healthz's throughput (target 0.10): "
            f"{verdict(share >= 0.10)}."
        )
    worst = max(
        (max(times) / max(steady_p95(result, probe), 0.1), probe)
        for probe, times in result["after publish"].items()
        if times
    )
    lines.append(
        f"- {size:,}, first request after a publish: at most {worst[0]:.2f} times the steady p95 "
        f"({worst[1]}; target at most 2): {verdict(worst[0] <= 2)}."
    )
    signed = max(
        (result["signed in"][k]["p50"] / max(result["steady"][k]["p50"], 0.1), k) for k in result["steady"]
    )
    lines.append(
        f"- {size:,}, a signed-in officer's page: at most {signed[0]:.2f} times the anonymous page built "
        f"afresh, at the median ({signed[1]}; target 1.2): {verdict(signed[0] <= 1.2)}."
    )
    if size >= 100000:
        lines.append(
            f"- {size:,}, worker peak memory {result['memory']:.0f} MB (target under 150): "
            f"{verdict(result['memory'] < 150)}."
        )
    e = result["export"]
    lines.append(
        f"- {size:,}, the CSV export raised one worker's peak by {e['after'] - e['before']:+.0f} MB "
        f"for {e['megabytes']:.0f} MB of CSV (streams in constant memory: "
        f"{verdict(e['after'] - e['before'] < 30)})."
    )
    return lines


def plans_section(plans: list[dict]) -> list[str]:
    if not plans:
        return []
    lines = ["### The costliest queries of pages built afresh, at the largest size", ""]
    for plan in plans:
        lines += [
            f"{plan['ms']:.1f} ms in the page:",
            "",
            "```sql",
            plan["sql"],
            "```",
            "",
            "```",
            plan["plan"],
            "```",
            "",
        ]
    return lines


def write(
    kind: str, runs: dict, plans: list, findings: list, started, pg_bin, workers: int, kinds: list
) -> str:
    lines = [
        f"## Run of {started:%Y-%m-%d %H:%M} UTC on {'PostgreSQL' if kind == 'postgresql' else 'SQLite'}",
        "",
        f"Machine: {machine(pg_bin, workers)}.",
        "",
    ]
    for size, result in sorted(runs.items()):
        lines += size_section(size, result, kinds)
    lines += targets(kind, runs)
    lines += plans_section(plans)
    if findings:
        lines += ["### Two instances, one database", "", *[f"- {finding}" for finding in findings], ""]
    text = "\n".join(lines)
    previous = DOCS.read_text().split("\n", 4)[-1] if DOCS.exists() else ""
    DOCS.write_text(HEADER + text + ("\n" + previous if previous.startswith("## ") else ""))
    return text
