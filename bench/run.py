"""Benchmark harness: ``make bench``. Not part of the test suite.

Starts Mitmachen under gunicorn with production settings on PostgreSQL (and Redis when
``REDIS_URL`` is set), loads each scenario for a fixed time with a fixed number of
connections from wrk (a separate process on 127.0.0.1), and reports requests/s, p50,
p99, errors, SQL queries per request and the ratio to a bare Django view measured in
the same run. Results go to ``bench/results/`` as JSON and Markdown.

Run ``python bench/run.py --help`` for the options; docs/performance.md explains how to
read the numbers.

The parts: ``common`` (paths, defaults, the scenario's and result's shape),
``environment`` (server environment, database, wrk, the scenarios' data and the checks of
the writes), ``scenarios``, ``measure`` (CSV export, council report, support counts),
``report`` (machine facts, Markdown), ``load`` (gunicorn and wrk) and ``mixed``.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from datetime import UTC, datetime

import mixed
from common import DEFAULT_DB, MIXED_WRITES_PER_S, RESULTS, Result, log
from environment import (
    check_submissions,
    ensure_database,
    ensure_wrk,
    manage,
    prepare,
    server_env,
)
from load import BASE, fetch, run_wrk, start_server, stop_server, wait_until_idle
from measure import (
    background_files_lines,
    check_counts,
    council_report_run,
    export_run,
    support_rows,
    weighing_table_run,
)
from report import machine_facts, markdown
from scenarios import scenarios, selected


def main() -> None:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--seconds", type=int, default=10, help="load time per scenario")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up time per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=cores * 2)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument(
        "--only",
        help="run only scenarios whose name contains this text (several: 'A|B'; the CSV "
        "export runs for 'CSV-Export')",
    )
    parser.add_argument("--label", default="", help="added to the result file names")
    parser.add_argument("--no-redis", dest="redis", action="store_false", help="ignore REDIS_URL")
    parser.add_argument(
        "--no-page-cache",
        dest="page_cache",
        action="store_false",
        help="switch the page cache off (PAGE_CACHE_SECONDS=0): what a cache miss costs",
    )
    args = parser.parse_args()
    if not args.page_cache and "no-page-cache" not in args.label:
        args.label = "-".join(filter(None, [args.label, "no-page-cache"]))

    wrk = ensure_wrk()
    env = server_env(args)
    ensure_database(args.database_url)
    log("Migrating and seeding (once per database) …")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_volume", "--if-missing")
    manage(env, "collectstatic", "--noinput", "-v0")
    data = prepare(env)
    server = start_server(env, args.workers, args.threads)
    results: list[Result] = []
    try:
        for scenario in scenarios(data):
            if not selected(args.only, scenario.name) and "Decke" not in scenario.name:
                continue
            probe = (scenario.requests or [{"method": scenario.method, "path": scenario.path}])[0]
            status, queries = fetch(probe)
            if status >= 400:
                raise SystemExit(f"{scenario.name}: HTTP {status} for {scenario.path}")
            if args.warmup:
                run_wrk(wrk, scenario, args.warmup, args.connections, args.wrk_threads)
            idle_wait = wait_until_idle(server)
            load_before = round(os.getloadavg()[0], 2)
            if scenario.background:
                measured = mixed.measure(
                    base=BASE,
                    readers=scenario,
                    writes=scenario.background,
                    rate=MIXED_WRITES_PER_S,
                    run_load=lambda s, seconds: run_wrk(
                        wrk, s, seconds, args.connections, args.wrk_threads
                    ),
                    seconds=args.seconds,
                    support_rows=lambda: support_rows(data["mixed_targets"]),
                )
            else:
                measured = run_wrk(wrk, scenario, args.seconds, args.connections, args.wrk_threads)
            result = Result(
                name=scenario.name,
                path=scenario.path,
                requests_per_s=measured["requests_per_s"],
                p50_ms=measured["p50_ms"],
                p99_ms=measured["p99_ms"],
                errors=measured["errors"],
                requests=measured["requests"],
                queries=queries,
                load_before=load_before,
                idle_wait_s=idle_wait,
                writes=measured.get("writes"),
            )
            results.append(result)
            wait_until_idle(server)  # the next scenario starts on idle workers too
            log(
                f"{scenario.name:<42} {result.requests_per_s:>8,.0f} req/s  "
                f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
                f"errors {result.errors}  SQL {queries}"
            )
        export = export_run(data, server) if selected(args.only, "CSV-Export") else {
            "rows": 0, "seconds": 0, "megabytes": 0, "worker_rss_before_mb": 0,
            "worker_rss_peak_mb": 0, "status": 0,
        }  # fmt: skip
        log(f"CSV export: {export}")
    finally:
        stop_server(server)
    ceiling = results[0].requests_per_s if results else 0
    for result in results:
        result.ratio = result.requests_per_s / ceiling if ceiling else None
    counts = check_counts(env, data["write_targets"] + data["mixed_targets"])
    submissions = check_submissions(
        data["submit_poll"], len(data["sessions"]), data["submit_form"].count("=")
    )
    log(f"Questionnaire submissions: {submissions}")
    # The files made in the background run in full runs and when --only names them
    # ("Ratsbericht", "Abwägungstabelle"): the table of the big draft takes half a minute.
    council_report = council_report_run(data) if selected(args.only, "Ratsbericht") else {}
    log(f"Council report: {council_report}")
    weighing_table = weighing_table_run(data) if selected(args.only, "Abwägungstabelle") else {}
    log(f"Abwägungstabelle: {weighing_table}")
    facts = machine_facts(env, wrk, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    payload = {
        "machine": facts,
        "results": [asdict(r) for r in results],
        "export": export,
        "support_counts": counts,
        "poll_submissions": submissions,
        "council_report": council_report,
        "weighing_table": weighing_table,
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    report = markdown(facts, results, export, counts, submissions)
    report += "\n".join(
        background_files_lines(
            {
                "Council report of the big project": council_report,
                "Abwägungstabelle (300 paragraphs, 5,000 comments)": weighing_table,
            }
        )
    )
    (RESULTS / f"{stamp}.md").write_text(report)
    # latest.md is the last full run with the page cache; a run without it has its own;
    # a partial run (--only) only its stamped files.
    if not args.only:
        latest = "latest.md" if args.page_cache else "latest-no-page-cache.md"
        (RESULTS / latest).write_text(report)
    log("\n" + report)
    log(f"Written to {RESULTS / stamp}.json and .md")


if __name__ == "__main__":
    main()
