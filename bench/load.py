"""Running the server and the load for ``bench/run.py``: gunicorn, wrk, idle waits.

Split from run.py (which keeps the scenarios, the data and the report).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_PORT: another port when several benchmarks share the machine.
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"


def log(message: str) -> None:
    print(message, flush=True)


# --- Server ------------------------------------------------------------------------------


def start_server(env: dict[str, str], workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    log(f"gunicorn: {workers} workers × {threads} threads")
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{BASE}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not come up")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def cpu_ticks(pids: list[int]) -> int:
    """CPU time (user + system, in clock ticks) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total


def wait_until_idle(server: subprocess.Popen[bytes], timeout: float = 30.0) -> float:
    """Wait until the workers have used (almost) no CPU for 0.3 s: after a warm-up they
    still serve the requests wrk abandoned, which would count against the measurement
    (seen: a signed-in proposal page 21.9 instead of 24.5 req/s). Returns the seconds
    waited."""
    started = time.monotonic()
    pids = [server.pid, *worker_pids(server)]
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    previous = cpu_ticks(pids)
    while time.monotonic() - started < timeout:
        time.sleep(0.3)
        current = cpu_ticks(pids)
        if current - previous <= 0.02 * ticks_per_s:  # under 20 ms of CPU in 0.3 s
            break
        previous = current
    return round(time.monotonic() - started, 2)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- Load --------------------------------------------------------------------------------

LUA = """
local requests = {requests}
local counter = 0
local offset = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  offset = tonumber(wrk.thread:get("offset")) or 0
end
function request()
  counter = counter + 1
  local r = requests[((offset + counter) % #requests) + 1]
  return wrk.format(r.method, r.path, r.headers, r.body)
end
"""


def lua_table(requests: list[dict[str, Any]]) -> str:
    def string(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    rows = []
    for r in requests:
        headers = ", ".join(f"[{string(k)}] = {string(v)}" for k, v in r.get("headers", {}).items())
        body = string(r["body"]) if r.get("body") else "nil"
        rows.append(
            f"{{method = {string(r['method'])}, path = {string(r['path'])}, "
            f"headers = {{{headers}}}, body = {body}}}"
        )
    return "{\n" + ",\n".join(rows) + "\n}"


def parse_duration_ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    value, unit = float(match[1]), match[2]
    return {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60_000}[unit]


def run_wrk(
    wrk: str, scenario: Any, seconds: int, connections: int, threads: int
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        requests = scenario.requests or [{"method": "GET", "path": scenario.path}]
        script.write(LUA.replace("{requests}", lua_table(requests)))
    try:
        output = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                BASE,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    total = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {
        "requests_per_s": float(rate[1]) if rate else 0.0,
        "p50_ms": parse_duration_ms(latency.get("50", "")),
        "p99_ms": parse_duration_ms(latency.get("99", "")),
        "errors": errors,
        "requests": int(total[1]) if total else 0,
        "raw": output,
    }


def fetch(request: dict[str, Any]) -> tuple[int, int | None]:
    """One request outside the load: status and SQL queries (from the benchmark header)."""
    data = request.get("body", "").encode() if request.get("body") else None
    req = urllib.request.Request(
        BASE + request["path"],
        data=data,
        headers=request.get("headers", {}),
        method=request["method"],
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=60) as response:
            response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    queries = headers.get("X-Mitmachen-Queries")
    return status, int(queries) if queries else None
