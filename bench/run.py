"""Benchmark harness: ``make bench``. Not part of the test suite.

Starts Mitmachen under gunicorn with production settings on PostgreSQL (and Redis when
``REDIS_URL`` is set), loads each scenario for a fixed time with a fixed number of
connections from wrk (a separate process on 127.0.0.1), and reports requests/s, p50,
p99, errors, SQL queries per request and the ratio to a bare Django view measured in
the same run. Results go to ``bench/results/`` as JSON and Markdown.

Run ``python bench/run.py --help`` for the options; docs/performance.md explains how to
read the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mixed
from load import (
    BASE,
    fetch,
    rss_mb,
    run_wrk,
    start_server,
    stop_server,
    wait_until_idle,
    worker_pids,
)

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


# --- Environment -------------------------------------------------------------------------


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": args.database_url,
            "DB_CONN_MAX_AGE": "600",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "MITMACHEN_BENCHMARK": "1",
            "TASKS_IMMEDIATE": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    env.pop("MITMACHEN_TESTING", None)
    if not args.page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    if not args.redis:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def ensure_database(url: str) -> None:
    import psycopg

    match = re.match(r"postgres(?:ql)?://[^/]+/(?P<name>[\w-]+)", url)
    if not match:
        raise SystemExit(f"Not a PostgreSQL URL: {url}")
    name = match["name"]
    admin_url = url[: match.start("name")] + "postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"Creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    raise SystemExit("wrk is missing: run `make bench` (installs it) or `apt-get install -y wrk`.")


# --- Data the scenarios need -------------------------------------------------------------


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """Sessions for signed-in scenarios and the ids of the pages to load (in-process Django)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from mitmachen.accounts.models import User
    from mitmachen.demo.volume import BIG_PROJECT_SLUG, DETAIL_TITLE, POLL_TITLE
    from mitmachen.organisations.models import Membership, Role
    from mitmachen.polls.models import Poll
    from mitmachen.projects.models import Project
    from mitmachen.proposals.models import Proposal

    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")

    def session_for(user: User) -> str:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key  # type: ignore[return-value]

    project = Project.objects.get(slug=BIG_PROJECT_SLUG)
    users = list(User.objects.filter(email__startswith="last").order_by("pk")[:SESSION_USERS])
    staff, _created = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"display_name": "Benchmark-Verwaltung"}
    )
    Membership.objects.get_or_create(
        user=staff, organisation=project.organisation, defaults={"role": Role.PROJECT_MANAGER}
    )
    project.managers.add(staff)  # "the project's manager" (BenchContext): the set-up pages
    # The municipality's administration: the statistics of all its projects.
    town_admin, _created = User.objects.get_or_create(
        email="bench-admin@example.org", defaults={"display_name": "Benchmark-Kommune"}
    )
    Membership.objects.update_or_create(
        user=town_admin, organisation=project.organisation, defaults={"role": Role.ADMIN}
    )
    bench_ids = {u.pk for u in users}
    targets = list(
        Proposal.objects.filter(project=project, hidden_at__isnull=True, withdrawn_at__isnull=True)
        .exclude(author_id__in=bench_ids)
        .order_by("pk")
        .values_list("pk", flat=True)[1:101]
    )
    district = project.districts.order_by("pk").first()
    topic = project.topics.order_by("pk").first()
    submit_poll, submit_form = submission_poll(project)
    # The modules add their city-size data and name their pages (``ParticipationModule.bench``).
    from dataclasses import asdict

    from mitmachen.projects import modules

    context = modules.BenchContext(
        project=project,
        residents=users,
        staff=staff,
        accounts=User.objects.filter(email__startswith="last")
        .exclude(pk__in=bench_ids)
        .order_by("pk"),
        log=log,
    )
    module_pages = [asdict(page) for page in modules.bench_pages(context)]
    return {
        "project": project.slug,
        "organisation": project.organisation.slug,
        "detail": Proposal.objects.get(project=project, title=DETAIL_TITLE).pk,
        # Older load data (before surveys) has no poll; its scenarios are then skipped.
        "poll": Poll.objects.filter(project=project, title=POLL_TITLE)
        .values_list("pk", flat=True)
        .first(),
        "district": district.pk if district else "",
        "district_page": district.get_absolute_url() if district else "",
        "topic": topic.slug if topic else "",
        "sessions": [session_for(u) for u in users],
        "staff_session": session_for(staff),
        "admin_session": session_for(town_admin),
        # The write scenario's and the mixed scenario's own: wrk leaves requests of the
        # one behind that the other's count check must not see.
        "write_targets": targets[:50],
        "mixed_targets": targets[50:],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "module_pages": module_pages,
        "submit_poll": submit_poll,
        "submit_form": submit_form,
    }


SUBMIT_POLL_TITLE = "Kurzumfrage zum Abschicken (Lastdaten)"


def submission_poll(project: Any) -> tuple[int, str]:
    """A short survey of the big project whose answers may be changed, for the
    submission scenario: each signed-in resident's first POST stores their response,
    every later one replaces its answers – a write either way, one response per person.
    Made once per database; returns its id and the form data a browser sends."""
    from urllib.parse import urlencode

    from django.db import transaction

    from mitmachen.polls.models import Eligibility, Option, Poll, Question, QuestionKind
    from mitmachen.polls.services import ensure_preset_options

    poll = Poll.objects.filter(project=project, title=SUBMIT_POLL_TITLE).first()
    if poll is None:
        with transaction.atomic():
            poll = Poll.objects.create(
                project=project,
                phase=project.phases.get(),
                title=SUBMIT_POLL_TITLE,
                intro="Lastdaten für Benchmarks: abschicken und ändern.",
                eligibility=Eligibility.REGISTERED,
                allow_changes=True,
                is_published=True,
            )
            for position, (kind, text) in enumerate(
                [
                    (QuestionKind.SINGLE, "Wie kommen Sie meistens in die Innenstadt?"),
                    (QuestionKind.MULTIPLE, "Was fehlt am Marktplatz?"),
                    (QuestionKind.YES_NO, "Soll es dort mehr Bäume geben?"),
                    (QuestionKind.SHORT_TEXT, "Ihr wichtigster Wunsch?"),
                ]
            ):
                question = Question.objects.create(
                    poll=poll, position=position, kind=kind, text=text, required=False
                )
                if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                    Option.objects.bulk_create(
                        Option(question=question, position=i, label=f"Antwort {i + 1}")
                        for i in range(5)
                    )
                ensure_preset_options(question)
    data: list[tuple[str, Any]] = []
    for question in poll.questions.order_by("position").prefetch_related("options"):
        options = sorted(question.options.all(), key=lambda o: (o.position, o.pk))
        if question.kind == QuestionKind.MULTIPLE:
            data += [(question.field_name(), o.pk) for o in options[:2]]
        elif options:
            data.append((question.field_name(), options[0].pk))
        else:
            data.append((question.field_name(), "Mehr Schatten"))
    return poll.pk, urlencode(data)


def check_submissions(poll_id: int, sessions: int, answers_each: int) -> dict[str, Any]:
    """After the submission scenario: as many responses as people who sent the form (at
    most one each, however often they sent it), each holding exactly the answers of one
    form – none lost, none doubled by a change racing another."""
    from django.db.models import Count

    from mitmachen.polls.models import Participation, Response

    people = Participation.objects.filter(poll_id=poll_id).count()
    responses = Response.objects.filter(poll_id=poll_id).annotate(n=Count("answers"))
    wrong = [r.pk for r in responses if r.n != answers_each]
    count = len(responses)
    return {
        "people": people,
        "responses": count,
        "sessions": sessions,
        "wrong_answer_counts": wrong[:20],
        "every_submission_counted": count == people <= sessions and not wrong,
    }


def scenarios(data: dict[str, Any]) -> list[Scenario]:
    slug = data["project"]
    cookie = data["session_cookie"]
    sessions = data["sessions"]
    list_path = f"/projekte/{slug}/vorschlaege/"
    detail_path = f"/vorschlaege/{data['detail']}/"

    def signed_in(path: str) -> list[dict[str, Any]]:
        return [
            {"method": "GET", "path": path, "headers": {"Cookie": f"{cookie}={s}"}}
            for s in sessions
        ]

    writes, mixed_writes = [], []
    for i, session in enumerate(sessions):
        target = data["write_targets"][i % len(data["write_targets"])]
        mixed_target = data["mixed_targets"][i % len(data["mixed_targets"])]
        csrf = secrets.token_hex(16)
        headers = {
            "Cookie": f"{cookie}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for value in ("1", "0"):  # support, then take it back
            for into, proposal in ((writes, target), (mixed_writes, mixed_target)):
                into.append(
                    {
                        "method": "POST",
                        "path": f"/vorschlaege/{proposal}/unterstuetzen/",
                        "headers": headers,
                        "body": f"unterstuetzen={value}",
                    }
                )
    municipality_path = f"/kommunen/{data['organisation']}/"

    def posted(path: str, form: str) -> list[dict[str, Any]]:
        requests = []
        for session in sessions:
            csrf = secrets.token_hex(16)
            headers = {
                "Cookie": f"{cookie}={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            requests.append({"method": "POST", "path": path, "headers": headers, "body": form})
        return requests

    def staff_requests(path: str) -> list[dict[str, Any]]:
        staff_cookie = f"{cookie}={data['staff_session']}"
        return [{"method": "GET", "path": path, "headers": {"Cookie": staff_cookie}}]

    module_pages = []
    for page in data.get("module_pages", []):
        if page.get("form"):  # a module's write (BenchPage.form), as the signed-in residents
            module_pages.append(
                Scenario(
                    page["name"],
                    page["path"],
                    method="POST",
                    signed_in=True,
                    writes=True,
                    requests=posted(page["path"], page["form"]),
                )
            )
            continue
        if page["anonymous"]:
            module_pages.append(Scenario(page["name"], page["path"]))
        if page["signed_in"]:
            module_pages.append(
                Scenario(
                    f"{page['name']}, angemeldet",
                    page["path"],
                    signed_in=True,
                    requests=signed_in(page["path"]),
                )
            )
        if page["staff"]:
            module_pages.append(
                Scenario(
                    f"{page['name']} (Verwaltung)",
                    page["path"],
                    signed_in=True,
                    requests=staff_requests(page["path"]),
                )
            )
    district_pages = []
    if data.get("district_page"):
        district_path = data["district_page"]
        district_pages = [
            Scenario("Ortsteil", district_path),
            Scenario(
                "Ortsteil, angemeldet",
                district_path,
                signed_in=True,
                requests=signed_in(district_path),
            ),
        ]
    polls = []
    if data["poll"]:
        poll_path = f"/umfragen/{data['poll']}/"
        polls = [
            Scenario("Umfrage-Ergebnisse (20.000 Antwortbögen)", f"{poll_path}ergebnisse/"),
            Scenario("Ergebnisse nach Ortsteil", f"{poll_path}ergebnisse/?nach=ortsteil"),
            Scenario(
                "Fragebogen, angemeldet", poll_path, signed_in=True, requests=signed_in(poll_path)
            ),
            # Setting the survey up (polls.setup_views), on the poll with 20,000 responses.
            *(
                Scenario(name, path, signed_in=True, requests=staff_requests(path))
                for name, path in (
                    (
                        "Umfrage einrichten (Verwaltung, 20.000 Antwortbögen)",
                        f"/verwaltung/umfragen/{data['poll']}/einrichten/",
                    ),
                    (
                        "Einstellungen der Umfrage (Verwaltung)",
                        f"/verwaltung/umfragen/{data['poll']}/einstellungen/",
                    ),
                    (
                        "Frage hinzufügen (Verwaltung)",
                        f"/verwaltung/umfragen/{data['poll']}/fragen/neu/",
                    ),
                )
            ),
        ]
    else:
        log("No survey in the load data (seeded before surveys existed): poll scenarios skipped.")
    return [
        Scenario("Decke: leere Django-Antwort", "/bench/ceiling/"),
        Scenario("Startseite", "/"),
        Scenario("Projektseite", f"/projekte/{slug}/"),
        Scenario("Vorschlagsliste (1.000 Vorschläge)", list_path),
        Scenario(
            "Liste nach Ortsteil und Thema",
            f"{list_path}?ortsteil={data['district']}&thema={data['topic']}",
        ),
        Scenario("Liste nach Unterstützungen", f"{list_path}?sortierung=unterstuetzt"),
        Scenario("Volltextsuche", f"{list_path}?q=Radweg+sicherer"),
        Scenario("Vorschlag mit 200 Kommentaren", detail_path),
        Scenario("Karten-GeoJSON des Projekts", f"/projekte/{slug}/vorschlaege.geojson"),
        Scenario("Liste, angemeldet", list_path, signed_in=True, requests=signed_in(list_path)),
        Scenario(
            "Vorschlag, angemeldet", detail_path, signed_in=True, requests=signed_in(detail_path)
        ),
        Scenario(
            "Unterstützen/Zurücknehmen (Schreiben)",
            "/vorschlaege/<id>/unterstuetzen/",
            method="POST",
            signed_in=True,
            writes=True,
            requests=writes,
        ),
        # Anonymous readers of the project while signed-in people support (bench/mixed.py).
        Scenario(
            mixed.NAME,
            f"/projekte/{slug}/ + Liste + Vorschlag",
            requests=[
                {"method": "GET", "path": path}
                for path in (f"/projekte/{slug}/", list_path, detail_path)
            ],
            background=mixed_writes,
        ),
        *polls,
        # Submitting a questionnaire (a short survey whose answers may be changed): each
        # resident's first POST stores a response, later ones replace its answers.
        Scenario(
            "Fragebogen abschicken (Schreiben)",
            f"/umfragen/{data['submit_poll']}/",
            method="POST",
            signed_in=True,
            writes=True,
            requests=posted(f"/umfragen/{data['submit_poll']}/", data["submit_form"]),
        ),
        # Accessibility offers and the person's follows (issue 18).
        Scenario("Leichte Sprache", "/leichte-sprache/"),
        Scenario(
            "Leichte Sprache, angemeldet",
            "/leichte-sprache/",
            signed_in=True,
            requests=signed_in("/leichte-sprache/"),
        ),
        Scenario("Gebärdensprache", f"/kommunen/{data['organisation']}/gebaerdensprache/"),
        Scenario(
            "Meine Abonnements, angemeldet",
            "/konto/abonnements/",
            signed_in=True,
            requests=signed_in("/konto/abonnements/"),
        ),
        # Pages drawn from the modules' sections (issue 10).
        Scenario("Kommune", municipality_path),
        Scenario(
            "Kommune, angemeldet",
            municipality_path,
            signed_in=True,
            requests=signed_in(municipality_path),
        ),
        *district_pages,
        Scenario(
            "Vorschlag melden, angemeldet",
            f"/melden/vorschlag/{data['detail']}/",
            signed_in=True,
            requests=signed_in(f"/melden/vorschlag/{data['detail']}/"),
        ),
        Scenario(
            "Meine Projekte (Verwaltung)",
            "/verwaltung/",
            signed_in=True,
            requests=staff_requests("/verwaltung/"),
        ),
        # Setting up a project in the site (dashboard), on the big project.
        *(
            Scenario(name, path, signed_in=True, requests=staff_requests(path))
            for name, path in (
                ("Neues Projekt (Verwaltung)", "/verwaltung/projekte/neu/"),
                ("Projekt einrichten (Verwaltung)", f"/verwaltung/projekte/{slug}/"),
                ("Grunddaten (Verwaltung)", f"/verwaltung/projekte/{slug}/grunddaten/"),
                ("Phase hinzufügen (Verwaltung)", f"/verwaltung/projekte/{slug}/phasen/neu/"),
                ("Einladungen (Verwaltung)", f"/verwaltung/projekte/{slug}/einladungen/"),
                (
                    "Einstellungen für Vorschläge (Verwaltung)",
                    f"/verwaltung/projekte/{slug}/vorschlaege/",
                ),
                (
                    "Vorschau der Projektseite (Verwaltung)",
                    f"/verwaltung/projekte/{slug}/vorschau/",
                ),
            )
        ),
        # The statistics of the big project, counted live from all its contributions.
        Scenario(
            "Statistik des Projekts (Verwaltung)",
            f"/verwaltung/projekte/{slug}/statistik/",
            signed_in=True,
            requests=staff_requests(f"/verwaltung/projekte/{slug}/statistik/"),
        ),
        # The statistics of all projects of the big project's municipality (its admin).
        Scenario(
            "Statistik der Kommune (Verwaltung)",
            f"/verwaltung/kommunen/{data['organisation']}/statistik/",
            signed_in=True,
            requests=[
                {
                    "method": "GET",
                    "path": f"/verwaltung/kommunen/{data['organisation']}/statistik/",
                    "headers": {"Cookie": f"{cookie}={data['admin_session']}"},
                }
            ],
        ),
        # Rollen und Zugänge (dashboard roles pages), as the big project's manager.
        *(
            Scenario(name, path, signed_in=True, requests=staff_requests(path))
            for name, path in (
                ("Rollen und Zugänge (Verwaltung)", f"/verwaltung/rollen/{data['organisation']}/"),
                ("Projektleitung (Verwaltung)", f"/verwaltung/projekte/{slug}/projektleitung/"),
            )
        ),
        # The participation modules' own pages (``ParticipationModule.bench``).
        *module_pages,
    ]


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


def council_report_run(data: dict[str, Any]) -> dict[str, Any]:
    """Make the council report of the big project in this process, as the task worker
    does (``dashboard.report_services``): time, pages, file sizes and SQL queries. The
    report is deleted again (with its files)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mitmachen.dashboard import report_services
    from mitmachen.dashboard.models import CouncilReport
    from mitmachen.projects.models import Project

    report = CouncilReport.objects.create(project=Project.objects.get(slug=data["project"]))
    load_before = round(os.getloadavg()[0], 2)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        report_services.council_report_make(report_id=report.pk)
    seconds = time.monotonic() - started
    report.refresh_from_db()
    result = {
        "state": report.state,
        "seconds": round(seconds, 2),
        "pages": report.pages,
        "pdf_kb": round(report.pdf.size / 1024, 1) if report.done else 0,
        "xlsx_kb": round(report.xlsx.size / 1024, 1) if report.done else 0,
        "queries": len(queries),
        "load_before": load_before,
    }
    report.delete()
    return result


def check_counts(env: dict[str, str], targets: list[int]) -> dict[str, Any]:
    from django.db.models import Count

    from mitmachen.proposals.models import Proposal

    wrong = [
        p.pk
        for p in Proposal.objects.filter(pk__in=targets).annotate(n=Count("supports"))
        if p.n != p.support_count
    ]
    return {"checked": len(targets), "wrong": wrong}


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


def selected(only: str | None, name: str) -> bool:
    """Is the scenario ``name`` in the run? ``only``: texts separated by "|"."""
    return not only or any(part and part in name for part in only.split("|"))


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
    council_report = council_report_run(data)
    log(f"Council report: {council_report}")
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
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    report = markdown(facts, results, export, counts, submissions)
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
