"""The permission matrix over every page a project's set-up leads to, found by following
its links – the set-up's own pages, each module's set-up pages (surveys and their
questions, debates, the proposals' settings), the invitations, the statistics, the
council report, the template export and the project's management – so that a page a
module adds later is checked without being listed here.

Every person of the matrix (``projects.tests.staff_matrix``) opens every page: the
project's own project manager, the municipality's administration and the operator get
it; residents, moderators, other project managers and other municipalities'
administrators get 403; whoever is not signed in is sent to the login."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.polls.models import QuestionKind
from mitmachen.polls.tests.factories import OptionFactory, PollFactory, QuestionFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory
from mitmachen.projects.tests.staff_matrix import MAY_CHANGE, led_project, staff_people

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINK = re.compile(r'href="(/[^"#?]*)')
# Downloads answer with files, not pages; the admin is the operator's.
SKIP = re.compile(r"\.(csv|xlsx|pdf|json|ics|png|jpe?g|svg|webp)$|^/(admin|konto|static|media)/")
# Pages of the whole staff workspace or the municipality, not of this project: they have
# their own matrices (test_staff.py, roles/tests, test_statistics.py, processtemplates).
NOT_THE_PROJECTS = re.compile(
    r"^/verwaltung/(|rollen/.*|kommunen/.*|vorlagen/.*|moderation/.*)$|^/vorlagen/"
)
MAX_LINKS = 200


@pytest.fixture
def town():
    # Public: its public pages (which residents may open) are told apart from the staff's.
    town = led_project(title="Geleitet", visibility=Visibility.PUBLIC)
    project = town["project"]
    start = timezone.now() + timedelta(days=10)
    phase = PhaseFactory(
        project=project, start=start, end=start + timedelta(days=20), actions=["answer"]
    )
    poll = PollFactory(project=project, phase=phase, title="Eigene Umfrage")
    question = QuestionFactory(poll=poll, kind=QuestionKind.SINGLE, text="Welche Farbe?")
    for i, label in enumerate(("Rot", "Blau")):
        OptionFactory(question=question, label=label, position=i)
    town["question"] = question
    town["debate"] = DebateFactory(
        project=project, question="Soll der Markt autofrei werden?", opened_by_staff=True
    )
    return town


def _outcome(response) -> str:
    """ "page", "login" (sent to sign in) or "refused": 403 with the reason, or – on a
    module's pages that residents use too (debates) – sent back with the reason."""
    if response.status_code == 200:
        return "page"
    if response.status_code == 302 and response["Location"].startswith("/konto/"):
        return "login"
    if response.status_code in (302, 403):
        return "refused"
    return str(response.status_code)


def _project_pages(town) -> list[str]:
    """Every page reachable from the set-up overview that belongs to this project: under
    ``/verwaltung/`` (followed further), or a module's page that refuses a resident."""
    manager = Client()
    manager.force_login(town["manager"])
    resident = Client()
    resident.force_login(staff_people(town["home"], town["other"], town["manager"])["resident"])
    overview = reverse("dashboard:project_setup", args=[town["project"].slug])
    queue, seen, pages = [overview], {overview}, {overview}
    while queue and len(seen) < MAX_LINKS:
        response = manager.get(queue.pop(0))
        assert response.status_code == 200
        for link in LINK.findall(response.content.decode()):
            link = unescape(link)
            if link in seen or SKIP.search(link) or NOT_THE_PROJECTS.search(link):
                continue
            seen.add(link)
            if link.startswith("/verwaltung/"):
                pages.add(link)
                queue.append(link)
            elif _outcome(resident.get(link)) == "refused":
                pages.add(link)
    return sorted(pages)


def test_every_page_the_set_up_leads_to_follows_the_matrix(client, town):
    pages = _project_pages(town)
    # The walk reached the modules' set-up pages and the project's tools.
    slug = town["project"].slug
    for expected in (
        reverse("dashboard:project_basics", args=[slug]),
        reverse("dashboard:phase_new", args=[slug]),
        reverse("dashboard:project_preview", args=[slug]),
        reverse("dashboard:project_invitations", args=[slug]),
        reverse("dashboard:project_statistics", args=[slug]),
        reverse("dashboard:council_report", args=[slug]),
        reverse("polls:setup_new", args=[slug]),
        reverse("polls:question_edit", args=[town["question"].pk]),
        reverse("proposals:setup", args=[slug]),
        reverse("debates:edit", args=[town["debate"].pk]),
        reverse("processtemplates:export", args=[slug]),
    ):
        assert expected in pages, (expected, pages)
    people = staff_people(town["home"], town["other"], town["manager"])
    failures = []
    for who, person in people.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        for url in pages:
            outcome = _outcome(client.get(url))
            if person is None:
                expected = "login"
            elif who in MAY_CHANGE:
                expected = "page"
            else:
                expected = "refused"
            if outcome != expected:
                failures.append(f"{who} {url}: {outcome}, expected {expected}")
    assert not failures, "\n".join(failures)
