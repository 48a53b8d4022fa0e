"""Staff statistics (``dashboard.statistics_views``): the figures recounted from the rows
in Python, the small-group rule on every breakdown, who may see them, the links to them,
and a number of queries that does not grow with the contributions."""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.dashboard.tests.stats_data import build
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.polls.models import Response
from mitmachen.projects.statistics import MIN_GROUP
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal, Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    organisation = OrganisationFactory(name="Statistikstadt")
    districts = [DistrictFactory(organisation=organisation) for _ in range(6)]
    project = ProjectFactory(organisation=organisation, title="Gezählt")
    PhaseFactory(project=project)
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    return {
        "organisation": organisation,
        "districts": districts,
        "project": project,
        "admin": admin,
    }


def _page(client, user, name, slug):
    client.force_login(user)
    response = client.get(reverse(f"dashboard:{name}", args=[slug]))
    assert response.status_code == 200
    return response


# --- Right figures ---------------------------------------------------------------------


Row = tuple[str, str, int | None, str, str | None]


def _recount(projects) -> list[Row]:
    """Every contribution as (kind, channel, Ortsteil id, person, age group), read row by
    row in Python by the rules docs/staff.md states – not by the statistics' SQL."""
    rows: list[Row] = []
    for p in Proposal.objects.filter(project__in=projects).select_related("author"):
        district = p.district_id or (p.author.home_district_id if p.author else None)
        person = f"u{p.author_id}" if p.author_id else f"proposal:{p.pk}"
        rows.append(("proposal", p.channel, district, person, None))
    for s in Support.objects.filter(proposal__project__in=projects).select_related("user"):
        person = f"u{s.user_id}" if s.user_id else f"support:{s.pk}"
        rows.append(
            ("support", "online", s.user.home_district_id if s.user else None, person, None)
        )
    comments = Comment.objects.filter(project__in=projects).select_related("author", "proposal")
    for c in comments:
        if c.deleted_at is not None:
            continue
        district = (c.proposal.district_id if c.proposal else None) or (
            c.author.home_district_id if c.author else None
        )
        kind = "debate_comment" if c.debate_id else "comment"
        rows.append(
            (
                kind,
                c.channel,
                district,
                f"u{c.author_id}" if c.author_id else f"comment:{c.pk}",
                None,
            )
        )
    responses = Response.objects.filter(poll__project__in=projects).select_related(
        "participation__user", "age_group"
    )
    for r in responses:
        user = r.participation.user if r.participation else None
        district = r.district_id or (user.home_district_id if user else None)
        person = f"u{user.pk}" if user else f"response:{r.pk}"
        age = r.age_group.label if r.age_group else None
        rows.append(("poll_response", r.channel, district, person, age))
    return rows


def _expected(rows, index):
    groups = defaultdict(lambda: [0, set()])
    for row in rows:
        if index == 4 and row[4] is None:
            continue
        groups[row[index]][0] += 1
        groups[row[index]][1].add(row[3])
    return {key: (n, len(people)) for key, (n, people) in groups.items()}


def _found(cells):
    return {c.key: (c.contributions, c.people) for c in cells}


# Counted in the request (page cache off), or kept from the first view and read by the
# second (``projects.statistics.count`` keeps the figures per data version).
KEPT = pytest.mark.parametrize("kept", [False, True], ids=["counted", "kept"])


def _kept_page(client, town, kept, settings, name, slug):
    settings.PAGE_CACHE_SECONDS = 60 if kept else 0
    if kept:
        _page(client, town["admin"], name, slug)
    with CaptureQueriesContext(connection) as queries:
        page = _page(client, town["admin"], name, slug)
    counted = sum(1 for q in queries.captured_queries if q["sql"].startswith("WITH u AS"))
    assert counted == (0 if kept else 1)
    return page


@KEPT
def test_figures_match_a_recount_of_the_rows_online_and_offline(client, town, kept, settings):
    project, districts = town["project"], town["districts"]
    build(project, 400, districts)
    # What must not count or must count apart: a deleted comment, an offline comment.
    proposal = Proposal.objects.filter(project=project).first()
    Comment.objects.create(
        project=project, proposal=proposal, text="", deleted_at="2026-03-03T10:00Z"
    )
    Comment.objects.create(
        project=project, proposal=proposal, text="Vom Workshop", channel=Channel.WORKSHOP
    )
    # Another project of the municipality: on its page, not on this project's.
    other = ProjectFactory(organisation=town["organisation"])
    build(other, 60, districts, people=7, tag="o")

    page = _kept_page(client, town, kept, settings, "project_statistics", project.slug)
    counts = page.context["counts"]
    rows = _recount([project])
    assert (counts.contributions, counts.people) == (len(rows), len({r[3] for r in rows}))
    assert _found(counts.breakdowns["kind"]) == _expected(rows, 0)
    assert _found(counts.breakdowns["channel"]) == _expected(rows, 1)
    assert _found(counts.breakdowns["district"]) == _expected(rows, 2)
    assert _found(counts.breakdowns["age"]) == _expected(rows, 4)
    assert {"online", "market_stand", "workshop", "mitmachmobil"} <= set(_expected(rows, 1))
    assert sum(c.contributions for c in counts.breakdowns["period"]) == len(rows)

    whole = _kept_page(
        client, town, kept, settings, "municipality_statistics", town["organisation"].slug
    )
    rows = _recount([project, other])
    counts = whole.context["counts"]
    assert (counts.contributions, counts.people) == (len(rows), len({r[3] for r in rows}))
    assert _found(counts.breakdowns["district"]) == _expected(rows, 2)
    assert _found(counts.breakdowns["kind"]) == _expected(rows, 0)


def test_share_of_ortsteile_reached(client, town):
    project, districts = town["project"], town["districts"]
    for district in districts[:2]:
        Proposal.objects.create(project=project, title="Hier", text="Text", district=district)
    content = _page(client, town["admin"], "project_statistics", project.slug).content.decode()
    assert "Aus 2 von 6 Ortsteilen kamen Beiträge." in unescape(content)


# --- Small groups ----------------------------------------------------------------------


def _row_cells(content: str, label: str) -> list[tuple[str, str]]:
    """The two figures after each table row headed ``label``."""
    pattern = (
        r'<th scope="row" class="kern-table__header">' + re.escape(label) + r"[^<]*</th>\s*"
        r"<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"
    )
    return re.findall(pattern, content)


@KEPT
def test_small_groups_are_withheld_on_every_breakdown(client, town, kept, settings):
    project, districts = town["project"], town["districts"]
    build(project, 90, districts, people=14)
    response = _kept_page(client, town, kept, settings, "project_statistics", project.slug)
    context, content = response.context, unescape(response.content.decode())
    breakdowns = {
        "kind": context["kinds"],
        "channel": context["channels"],
        "age": context["ages"],
        "period": [bar.cell for bar in context["chart"].bars],
        "district": [row.cell for row in context["district_rows"] if row.cell],
    }
    seen_withheld = set()
    for name, cells in breakdowns.items():
        for cell in cells:
            small = 0 < cell.people < MIN_GROUP
            assert cell.withheld or not small, (name, cell)
            if cell.withheld:
                seen_withheld.add(name)
        primary = [c for c in cells if c.withheld and not c.secondary]
        if len(primary) == 1 and len([c for c in cells if c.people]) > 1:
            assert any(c.secondary for c in cells), f"{name}: one withheld group alone"
    assert seen_withheld >= {"kind", "channel", "age", "period", "district"}
    # What the page prints for them: never the figure.
    for row in context["district_rows"]:
        if row.cell and row.cell.withheld:
            for contributions, people in _row_cells(content, row.name):
                assert contributions == "nicht ausgewiesen"
                assert people in {"weniger als 5", "nicht ausgewiesen"}
    for cell in [*context["kinds"], *context["channels"], *context["ages"]]:
        cells = _row_cells(content, cell.label)
        assert cells, cell.label
        for contributions, people in cells:
            if cell.withheld:
                assert (contributions, people)[0] == "nicht ausgewiesen"
            else:
                assert (int(contributions), int(people)) == (cell.contributions, cell.people)
    assert "weniger als 5" in content
    # The map colours no withheld Ortsteil, and names no figure for it.
    withheld = {row.name for row in context["district_rows"] if row.cell and row.cell.withheld}
    for area in context["map"].areas:
        if area.name in withheld:
            assert area.value is None


def test_one_withheld_group_takes_the_next_smallest_with_it(client, town):
    project = town["project"]
    for i in range(12):
        Proposal.objects.create(project=project, title=f"V{i}", text="T", author=UserFactory())
    for i in range(2):
        Proposal.objects.create(
            project=project,
            title=f"Papier {i}",
            text="T",
            channel=Channel.LETTER,
            submitted_on="2026-03-03",
        )
    channels = _page(client, town["admin"], "project_statistics", project.slug).context["channels"]
    by_key = {c.key: c for c in channels}
    assert by_key["letter"].withheld and not by_key["letter"].secondary
    assert by_key["online"].withheld and by_key["online"].secondary


# --- Who may see them ------------------------------------------------------------------

PROJECT_MATRIX = {
    "anonymous": None,  # sent to the login
    "resident": 403,
    "moderator": 403,
    "manager_own": 200,
    "manager_other": 403,
    "admin_own": 200,
    "admin_other": 403,
    "superuser": 200,
}
MUNICIPALITY_MATRIX = {**PROJECT_MATRIX, "manager_own": 403, "manager_other": 403}


def _people(town):
    organisation, project = town["organisation"], town["project"]
    manager = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    other_manager = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
    ProjectFactory(organisation=organisation).managers.add(other_manager)
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "moderator": MembershipFactory(organisation=organisation, role=Role.MODERATOR).user,
        "manager_own": manager,
        "manager_other": other_manager,
        "admin_own": town["admin"],
        "admin_other": MembershipFactory(role=Role.ADMIN).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.mark.parametrize("page", ["project_statistics", "municipality_statistics"])
def test_permission_matrix(client, town, page):
    matrix = PROJECT_MATRIX if page == "project_statistics" else MUNICIPALITY_MATRIX
    rule = "dashboard.view_" + page
    obj = town["project"] if page == "project_statistics" else town["organisation"]
    url = reverse(f"dashboard:{page}", args=[obj.slug])
    for role, person in _people(town).items():
        client.logout()
        if person is not None:
            client.force_login(person)
        response = client.get(url)
        expected = matrix[role]
        if expected is None:
            assert response.status_code == 302 and "/konto/" in response["Location"]
            continue
        assert response.status_code == expected, role
        decision = decide(person, rule, obj)
        assert decision.allowed == (expected == 200), role
        if expected == 403:
            assert decision.reason in unescape(response.content.decode()), role


def test_unknown_project_or_municipality_is_404(client, town):
    client.force_login(town["admin"])
    assert (
        client.get(reverse("dashboard:project_statistics", args=["gibt-es-nicht"])).status_code
        == 404
    )
    assert (
        client.get(reverse("dashboard:municipality_statistics", args=["nein"])).status_code == 404
    )
    url = reverse("dashboard:project_statistics", args=[town["project"].slug])
    assert client.post(url).status_code == 405


def test_a_municipality_without_projects_or_contributions(client, town):
    empty = OrganisationFactory(name="Leerdorf")
    DistrictFactory(organisation=empty)
    admin = MembershipFactory(organisation=empty, role=Role.ADMIN).user
    content = unescape(_page(client, admin, "municipality_statistics", empty.slug).content.decode())
    assert "Noch keine Beiträge." in content and "Aus 0 von 1 Ortsteil kamen Beiträge." in content
    project = _page(client, town["admin"], "project_statistics", town["project"].slug)
    assert "Noch keine Beiträge." in project.content.decode()


def test_linked_from_my_projects_and_the_setup(client, town):
    project = town["project"]
    client.force_login(town["admin"])
    statistics = reverse("dashboard:project_statistics", args=[project.slug])
    whole = reverse("dashboard:municipality_statistics", args=[town["organisation"].slug])
    listing = client.get(reverse("dashboard:my_projects")).content.decode()
    assert statistics in listing and whole in listing
    assert (
        statistics
        in client.get(reverse("dashboard:project_setup", args=[project.slug])).content.decode()
    )
    # A moderator sees neither link.
    moderator = MembershipFactory(organisation=town["organisation"], role=Role.MODERATOR).user
    client.force_login(moderator)
    listing = client.get(reverse("dashboard:my_projects")).content.decode()
    assert statistics not in listing and whole not in listing


# --- Bounded queries -------------------------------------------------------------------


def _queries(client, user, name, slug) -> tuple[int, int]:
    """The queries of a second view (the session and the caches warm), and how many of
    them were the statistics query."""
    client.force_login(user)
    url = reverse(f"dashboard:{name}", args=[slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    statistics = sum(1 for q in queries.captured_queries if q["sql"].startswith("WITH u AS"))
    return len(queries), statistics


def test_queries_do_not_grow_with_the_contributions(client, settings):
    counted = {}
    for size in (100, 20_000):
        organisation = OrganisationFactory()
        districts = [DistrictFactory(organisation=organisation) for _ in range(6)]
        project = ProjectFactory(organisation=organisation)
        PhaseFactory(project=project)
        build(project, size, districts, tag=str(size), people=60)
        admin = MembershipFactory(organisation=organisation).user
        assert Response.objects.filter(poll__project=project).count() >= size // 4 - 1
        for seconds in (0, 60):  # the page cache (and with it the counts' cache) off, on
            settings.PAGE_CACHE_SECONDS = seconds
            counted[size, seconds] = (
                _queries(client, admin, "project_statistics", project.slug),
                _queries(client, admin, "municipality_statistics", organisation.slug),
            )
    for seconds in (0, 60):
        assert counted[100, seconds] == counted[20_000, seconds], counted
    # Off: every view counts, in one query. On: the second view counts nothing.
    assert all(statistics == 1 for _n, statistics in counted[20_000, 0]), counted
    assert all(statistics == 0 for _n, statistics in counted[20_000, 60]), counted
    assert all(n <= 12 for n, _statistics in counted[20_000, 0] + counted[20_000, 60]), counted


def test_in_english(client, town, settings):
    project, districts = town["project"], town["districts"]
    build(project, 60, districts, people=12)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = _page(client, town["admin"], "project_statistics", project.slug).content.decode()
    for words in ("Contributions by channel", "fewer than 5", "Proposals", "Supports of proposals"):
        assert words in content, words
