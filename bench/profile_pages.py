"""Profile single requests of the benchmark's pages in-process (cProfile, SQL queries).

Load-independent figures for docs/performance.md: function calls, CPU milliseconds and SQL
queries per request, with the Django test client against the benchmark database (seeded by
``bench/run.py`` or ``manage.py seed_volume``), signed in as the benchmark's accounts in turn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitmachen_bench \\
        .venv/bin/python bench/profile_pages.py --requests 40 --top 25

The first request of each page is not measured (it fills the caches, as the benchmark's
warm-up does); ``--cold`` measures every request with the page cache and fragments
switched off instead (``PAGE_CACHE_SECONDS=0``, as ``bench/run.py --no-page-cache``: every
cache of data versions off, the footer's and each person's too); ``--after-write`` measures
each request as the first after a write in the big project (its version bumped before each
one, outside the measurement): its pages, rows and fragments miss, what a write in a project
leaves current (the footer, the person's entry, other projects) is kept.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page")
    parser.add_argument("--users", type=int, default=20, help="accounts signed in, in turn")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--only", help="profile only pages whose name contains this text")
    parser.add_argument("--cold", action="store_true", help="page cache and fragments off")
    parser.add_argument(
        "--sort", default="cumulative", help="order of --top: cumulative or tottime"
    )
    parser.add_argument(
        "--after-write",
        action="store_true",
        help="each request the first after a write in the project (its version bumped): "
        "its pages and fragments miss, what holds for everything (footer, people) is kept",
    )
    parser.add_argument("--dump", help="write each page's cProfile stats to DUMP-<n>.prof")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["MITMACHEN_BENCHMARK"] = "1"
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
    if args.cold:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", "-v0")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mitmachen.accounts.models import User
    from mitmachen.core import page_cache
    from mitmachen.demo.volume import BIG_PROJECT_SLUG, DETAIL_TITLE, POLL_TITLE
    from mitmachen.polls.models import Poll
    from mitmachen.projects.models import Project
    from mitmachen.proposals.models import Proposal

    sys.path.insert(0, str(ROOT / "bench"))
    from environment import submission_poll

    project = Project.objects.get(slug=BIG_PROJECT_SLUG)
    detail = Proposal.objects.get(project=project, title=DETAIL_TITLE)
    users = list(User.objects.filter(email__startswith="last").order_by("pk")[: args.users])
    # The write scenario's targets (bench/environment.py): proposals of the big project
    # by others than the benchmark's accounts; each person supports one and withdraws.
    target = (
        Proposal.objects.filter(project=project, hidden_at__isnull=True, withdrawn_at__isnull=True)
        .exclude(author__in=users)
        .order_by("pk")
        .values_list("pk", flat=True)[1]
    )
    poll = Poll.objects.filter(project=project, title=POLL_TITLE).values_list("pk", flat=True)[0]
    submit_poll, submit_form = submission_poll(project)
    htmx = {"HTTP_HX_REQUEST": "true"}
    form = "application/x-www-form-urlencoded"
    # name: (path, signed in, POST bodies taken in turn or None for a GET)
    pages: dict[str, tuple[str, bool, list[str] | None]] = {
        "Liste, angemeldet": (f"/projekte/{project.slug}/vorschlaege/", True, None),
        "Vorschlag, angemeldet": (f"/vorschlaege/{detail.pk}/", True, None),
        "Projektseite, anonym": (f"/projekte/{project.slug}/", False, None),
        "Liste, anonym": (f"/projekte/{project.slug}/vorschlaege/", False, None),
        "Vorschlag, anonym": (f"/vorschlaege/{detail.pk}/", False, None),
        "Startseite, anonym": ("/", False, None),
        "Umfrage-Ergebnisse, anonym": (f"/umfragen/{poll}/ergebnisse/", False, None),
        "Ergebnisse nach Ortsteil, anonym": (
            f"/umfragen/{poll}/ergebnisse/?nach=ortsteil",
            False,
            None,
        ),
        "Fragebogen, angemeldet": (f"/umfragen/{poll}/", True, None),
        "Unterstützen/Zurücknehmen (htmx)": (
            f"/vorschlaege/{target}/unterstuetzen/",
            True,
            ["unterstuetzen=1", "unterstuetzen=0"],
        ),
        "Fragebogen abschicken": (f"/umfragen/{submit_poll}/", True, [submit_form]),
    }
    clients = []
    for user in users:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients.append(client)
    anonymous = Client()
    for name, (path, signed_in, bodies) in pages.items():
        if args.only and args.only not in name:
            continue
        pool = clients if signed_in else [anonymous]
        turns = [0] * len(pool)

        def request(
            i: int,
            pool: list[Any] = pool,
            bodies: list[str] | None = bodies,
            path: str = path,
            turns: list[int] = turns,
        ) -> Any:
            client = pool[i % len(pool)]
            if bodies is None:
                return client.get(path)
            body = bodies[turns[i % len(pool)] % len(bodies)]
            turns[i % len(pool)] += 1
            return client.post(path, body, content_type=form, **htmx)

        for i in range(len(pool)):  # warm: per-process copies, fragments, Markdown
            request(i)
        if bodies and len(bodies) > 1:
            for i in range(len(pool)):  # even turns: each person starts with the first body
                request(i)
        cpu = 0.0
        for i in range(args.requests):  # CPU time without the profiler's overhead
            if args.after_write:
                page_cache.touch_project(project.pk)
            started = time.process_time()
            request(i)
            cpu += time.process_time() - started
        cpu_ms = cpu * 1000 / args.requests
        profile = cProfile.Profile(time.process_time)  # CPU, not wall time: load-independent
        queries = []
        sizes = []
        for i in range(args.requests):
            if args.after_write:
                page_cache.touch_project(project.pk)
            with CaptureQueriesContext(connection) as captured:
                profile.enable()
                response = request(i)
                profile.disable()
            assert response.status_code in (200, 302), (name, response.status_code)
            queries.append(len(captured.captured_queries))
            sizes.append(len(response.content))
        stats = pstats.Stats(profile)
        calls = stats.total_calls / args.requests  # type: ignore[attr-defined]
        print(
            f"{name:<24} {calls:>9,.0f} calls/request  {cpu_ms:6.1f} ms CPU  "
            f"SQL {min(queries)}–{max(queries)}  {sum(sizes) / len(sizes) / 1024:.1f} KB"
        )
        if args.dump:
            profile.dump_stats(f"{args.dump}-{list(pages).index(name)}.prof")
        if args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
