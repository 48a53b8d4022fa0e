"""The mixed scenario of ``bench/run.py``: anonymous readers while signed-in people write.

The evening a survey or a vote is announced, people who are signed in support proposals
while many more read anonymously – and every write makes some cached pages stale. wrk
loads the project's anonymous pages (project page, proposal list, the proposal with 200
comments) with the usual connections, while writer threads send supports and
withdrawals (htmx, as a browser with JavaScript does) at a fixed rate to proposals of
the same project. Every write is counted: the supports the answers confirmed
("Vielen Dank …" +1, "… nicht mehr" −1) must equal the change in support rows, and
every touched proposal's ``support_count`` its rows (``check_counts`` in run.py).
"""

from __future__ import annotations

import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

NAME = "Gemischt: anonym lesen, angemeldet 20 Unterstützungen/s"
ADDED = "Vielen Dank für Ihre Unterstützung!"
REMOVED = "Sie unterstützen diesen Vorschlag nicht mehr."


def _send(base: str, request: dict[str, Any]) -> tuple[int, str]:
    data = request["body"].encode() if request.get("body") else None
    req = urllib.request.Request(
        base + request["path"], data=data, headers=request["headers"], method=request["method"]
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


class Writer:
    """Sends ``requests`` in turn at ``rate`` per second from a few threads, recording
    each answer's status, latency and what it confirmed (+1, −1 or 0)."""

    def __init__(self, base: str, requests: list[dict[str, Any]], rate: float) -> None:
        self.base, self.requests, self.rate = base, requests, rate
        self.results: list[tuple[int, float, int]] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(8)]
        self._clock = threading.Thread(target=self._tick, daemon=True)

    def _tick(self) -> None:
        started, sent = time.monotonic(), 0
        while not self._stop.is_set():
            due = started + sent / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._queue.put(self.requests[sent % len(self.requests)])
            sent += 1

    def _work(self) -> None:
        while (request := self._queue.get()) is not None:
            began = time.monotonic()
            status, body = _send(self.base, request)
            change = 1 if ADDED in body else -1 if REMOVED in body else 0
            with self._lock:
                self.results.append((status, (time.monotonic() - began) * 1000, change))

    def start(self) -> None:
        for thread in [*self._threads, self._clock]:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._clock.join()
        for _thread in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(
    *,
    base: str,
    readers: Any,
    writes: list[dict[str, Any]],
    rate: float,
    run_load: Callable[[Any, int], dict[str, Any]],
    seconds: int,
    support_rows: Callable[[], int],
) -> dict[str, Any]:
    """Readers (``run_load(readers, seconds)``, i.e. wrk) under ``rate`` writes per second.
    Returns wrk's figures for the readers and the writers' own, with the count check."""
    rows_before = support_rows()
    writer = Writer(base, writes, rate)
    writer.start()
    try:
        measured = run_load(readers, seconds)
    finally:
        writer.stop()
    confirmed = sum(change for _status, _ms, change in writer.results)
    changed_rows = support_rows() - rows_before
    latencies = [ms for _status, ms, _change in writer.results]
    measured["writes"] = {
        "sent": len(writer.results),
        "per_s": round(len(writer.results) / seconds, 1),
        "errors": sum(1 for status, _ms, _change in writer.results if status != 200),
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "confirmed_change": confirmed,
        "support_rows_change": changed_rows,
        "every_write_counted": confirmed == changed_rows,
    }
    return measured
