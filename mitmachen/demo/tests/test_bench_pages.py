"""Every module's ``make bench`` pages (``ParticipationModule.bench``) load on small data.

The benchmark runs rarely and on big data; this runs each module's hook in the suite on
the small load data, twice (it must be idempotent), and loads every page it names the
way the bench will: anonymously, signed in as a resident, and as the project's manager.
"""

import pytest
from django.test import Client

from mitmachen.accounts.models import User
from mitmachen.demo.tests.test_volume import SMALL
from mitmachen.demo.volume import BIG_PROJECT_SLUG, seed_volume
from mitmachen.organisations.models import Membership, Role
from mitmachen.projects import modules
from mitmachen.projects.models import Project

pytestmark = pytest.mark.django_db

RESIDENTS = 30  # SMALL leaves the first 30 of its 60 accounts without a survey answer


def _context() -> modules.BenchContext:
    project = Project.objects.get(slug=BIG_PROJECT_SLUG)
    accounts = User.objects.filter(email__startswith="last").order_by("pk")
    residents = list(accounts[:RESIDENTS])
    staff = User.objects.create_user(email="bench-staff@example.org", password=None)
    Membership.objects.create(
        user=staff, organisation=project.organisation, role=Role.PROJECT_MANAGER
    )
    project.managers.add(staff)  # as bench/run.py: "the project's manager"
    return modules.BenchContext(
        project=project,
        residents=residents,
        staff=staff,
        accounts=accounts.exclude(pk__in=[u.pk for u in residents]),
        small=True,
        log=lambda line: None,
    )


def _client(user: User | None) -> Client:
    client = Client(HTTP_HOST="testserver")
    if user is not None:
        client.force_login(user)
    return client


def test_every_bench_page_of_every_module_loads():
    seed_volume(SMALL, log=lambda line: None)
    context = _context()
    pages = modules.bench_pages(context)
    assert modules.bench_pages(context) == pages, "a second run changes nothing it names"
    names = [page.name for page in pages]
    assert len(names) == len(set(names)), "each bench page has its own name"
    visitors = {
        "anonymous": _client(None),
        "signed_in": _client(context.residents[0]),
        "staff": _client(context.staff),
    }
    for page in pages:
        assert page.path.startswith("/"), page
        assert page.anonymous or page.signed_in or page.staff, page
        for who, client in visitors.items():
            if getattr(page, who) and page.form:  # a write: POSTed, answered by a redirect
                response = client.post(
                    page.path, page.form, content_type="application/x-www-form-urlencoded"
                )
                assert response.status_code == 302, (page.name, who, response.status_code)
            elif getattr(page, who):
                response = client.get(page.path)
                assert response.status_code == 200, (page.name, who, response.status_code)


# Modules whose pages bench/run.py names itself (they came before the hook): the
# proposal list and page with its comments and reports, the survey and its results.
NAMED_BY_THE_RUNNER = {"proposals", "comments", "moderation", "polls"}


def test_the_modules_that_add_pages_declare_bench_pages():
    """A module with its own addresses (``urls``) has pages residents or staff load, so
    it names them for the benchmark."""
    missing = {m.label for m in modules.registered() if m.urls and m.bench is None}
    assert missing - NAMED_BY_THE_RUNNER == set()
