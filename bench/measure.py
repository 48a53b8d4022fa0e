"""What is measured besides wrk's load: the CSV export with the workers' memory, the
files made in the background (the council report, the drafts' Abwägungstabelle), and the
support counts after the writes."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from load import BASE, rss_mb, worker_pids


def export_run(data: dict[str, Any], server: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Download the CSV of all comments of the big project; time and peak worker memory."""
    pids = worker_pids(server)
    before = max((rss_mb(pid) for pid in pids), default=0.0)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max([peak, *(rss_mb(pid) for pid in pids)])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    request = urllib.request.Request(
        f"{BASE}/verwaltung/projekte/{data['project']}/kommentare.csv",
        headers={"Cookie": f"{data['session_cookie']}={data['staff_session']}"},
    )
    started = time.monotonic()
    size = lines = 0
    with urllib.request.urlopen(request, timeout=600) as response:
        status = response.status
        while chunk := response.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    return {
        "status": status,
        "seconds": round(seconds, 2),
        "rows": lines - 1,
        "megabytes": round(size / 1e6, 1),
        "worker_rss_before_mb": round(before, 1),
        "worker_rss_peak_mb": round(peak, 1),
    }


def support_rows(targets: list[int]) -> int:
    from mitmachen.proposals.models import Support

    return Support.objects.filter(proposal_id__in=targets).count()


def _background_file_run(row: Any, make: Callable[[int], None]) -> dict[str, Any]:
    """Make the background file ``row`` (``core.background_files``) in this process, as
    the task worker does: time, pages, file sizes and SQL queries. The row is deleted
    again (with its files)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load_before = round(os.getloadavg()[0], 2)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        make(row.pk)
    seconds = time.monotonic() - started
    row.refresh_from_db()
    result = {
        "state": row.state,
        "seconds": round(seconds, 2),
        "pages": row.pages,
        "pdf_kb": round(row.pdf.size / 1024, 1) if row.done else 0,
        "xlsx_kb": round(row.xlsx.size / 1024, 1) if row.done else 0,
        "queries": len(queries),
        "load_before": load_before,
    }
    row.delete()
    return result


def council_report_run(data: dict[str, Any]) -> dict[str, Any]:
    """The council report of the big project (``dashboard.report_services``)."""
    from mitmachen.dashboard import report_services
    from mitmachen.dashboard.models import CouncilReport
    from mitmachen.projects.models import Project

    report = CouncilReport.objects.create(project=Project.objects.get(slug=data["project"]))
    return _background_file_run(
        report, lambda pk: report_services.council_report_make(report_id=pk)
    )


def weighing_table_run(data: dict[str, Any]) -> dict[str, Any]:
    """The Abwägungstabelle (PDF and XLSX) of the bench's draft of 300 paragraphs and
    5,000 comments (``drafts.table_services``); an empty dict when there is no such
    draft."""
    from mitmachen.drafts import table_services
    from mitmachen.drafts.bench import SLUG
    from mitmachen.drafts.models import Draft, WeighingTableFile

    draft = Draft.objects.filter(project__slug=data["project"], slug=SLUG).first()
    if draft is None:
        return {}
    table = WeighingTableFile.objects.create(draft=draft, version=draft.version)
    return _background_file_run(table, lambda pk: table_services.weighing_table_make(table_id=pk))


def background_files_lines(files: dict[str, dict[str, Any]]) -> list[str]:
    """The Markdown lines of the files made in the background."""
    lines = []
    for name, made in files.items():
        if made:
            lines += [
                f"{name}: {made['state']}, {made['seconds']} s, {made['pages']} pages, "
                f"PDF {made['pdf_kb']} KB, XLSX {made['xlsx_kb']} KB, {made['queries']} SQL "
                f"queries (load before {made['load_before']}).",
                "",
            ]
    return lines


def check_counts(env: dict[str, str], targets: list[int]) -> dict[str, Any]:
    from django.db.models import Count

    from mitmachen.proposals.models import Proposal

    wrong = [
        p.pk
        for p in Proposal.objects.filter(pk__in=targets).annotate(n=Count("supports"))
        if p.n != p.support_count
    ]
    return {"checked": len(targets), "wrong": wrong}
