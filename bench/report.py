"""The machine's facts and the results as Markdown."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import ROOT, Result

# --- Facts and output --------------------------------------------------------------------


def machine_facts(env: dict[str, str], wrk: str, args: argparse.Namespace) -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": bool(args.redis and env.get("REDIS_URL")),
        "page_cache": args.page_cache,
        "wrk": wrk_version.split("\n")[0].strip(),
        "gunicorn": f"{args.workers} workers × {args.threads} threads",
        "load": f"{args.seconds} s per scenario, {args.connections} connections, "
        f"{args.wrk_threads} wrk threads, {args.warmup} s warm-up",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def markdown(
    facts: dict[str, Any],
    results: list[Result],
    export: dict[str, Any],
    counts: dict[str, Any],
    submissions: dict[str, Any] | None = None,
) -> str:
    lines = [
        f"# Benchmark {facts['date']}",
        "",
        f"Commit {facts['commit']} · {facts['cores']} cores ({facts['cpu']}), {facts['memory']} · "
        f"Python {facts['python']}, Django {facts['django']}, PostgreSQL {facts['postgresql']}, "
        f"Redis {'on' if facts['redis'] else 'off'} · "
        f"page cache {'on' if facts.get('page_cache', True) else 'off'} · "
        f"gunicorn {facts['gunicorn']} · {facts['wrk']} · {facts['load']}",
        "",
        "| Scenario | req/s | p50 ms | p99 ms | errors | SQL/request | ratio to ceiling "
        "| load before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r.ratio:.0%}" if r.ratio is not None else "–"
        queries = "–" if r.queries is None else str(r.queries)
        load = "–" if r.load_before is None else f"{r.load_before:.2f}"
        lines.append(
            f"| {r.name} | {r.requests_per_s:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.errors} | {queries} | {ratio} | {load} |"
        )
    lines += [
        "",
        f"CSV export of {export['rows']:,} comments: {export['seconds']} s, "
        f"{export['megabytes']} MB, worker memory {export['worker_rss_before_mb']} MB before, "
        f"peak {export['worker_rss_peak_mb']} MB.",
        "",
        f"Supports after the write scenarios: {counts['checked']} proposals checked, "
        f"{len(counts['wrong'])} with a count that differs from their rows.",
        "",
    ]
    if submissions and submissions["people"]:
        lines += [
            f"Questionnaires sent: {submissions['people']} people of {submissions['sessions']} "
            f"have {submissions['responses']} responses – one each, with all their answers: "
            f"{'yes' if submissions['every_submission_counted'] else 'NO'}.",
            "",
        ]
    for r in results:
        if r.writes:
            w = r.writes
            lines += [
                f"{r.name}: {w['sent']} writes ({w['per_s']}/s, p50 {w['p50_ms']} ms, "
                f"p99 {w['p99_ms']} ms, {w['errors']} errors) alongside the readers; "
                f"supports confirmed {w['confirmed_change']:+d}, support rows changed "
                f"{w['support_rows_change']:+d} – every write counted: "
                f"{'yes' if w['every_write_counted'] else 'NO'}.",
                "",
            ]
    return "\n".join(lines)
