"""Setting the benchmark up: the server's environment, the database and wrk, and the
data the scenarios need (sessions, ids, the modules' pages), with the checks of what the
writes left behind."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from typing import Any

from common import PYTHON, ROOT, SESSION_USERS, log

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
