"""What the benchmark's modules share: paths, the defaults, the scenario's and the
result's shape, and the log."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/mitmachen_bench"
SESSION_USERS = 200  # signed-in visitors the logged-in scenarios cycle through
MIXED_WRITES_PER_S = 20  # supports and withdrawals while anonymous people read


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    signed_in: bool = False
    writes: bool = False
    # For scenarios that cycle through several requests (sessions, write pairs).
    requests: list[dict[str, Any]] = field(default_factory=list)
    # Writes sent at MIXED_WRITES_PER_S while wrk loads ``requests`` (bench/mixed.py).
    background: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Result:
    name: str
    path: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    queries: int | None
    ratio: float | None = None
    note: str = ""
    # The machine's 1-minute load average before the scenario started, and how long the
    # workers took to become idle after the warm-up (they still serve what wrk abandoned).
    load_before: float | None = None
    idle_wait_s: float | None = None
    # The mixed scenario: the writes sent alongside, and whether every one was counted.
    writes: dict[str, Any] | None = None


def log(message: str) -> None:
    print(message, flush=True)
