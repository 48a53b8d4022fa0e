"""The Bürgerhaushalt's section of the council report (``budgets.council_report``): its
figures recounted row by row in the test, the result read from the stored one (its
winners worked out by hand below), the same number of queries for small and larger
data, and the section in the PDF and the HTML it is made from."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import council_report, services
from mitmachen.budgets.models import VOTE, Ballot, BallotChoice, Feasibility, GroupResult, Idea
from mitmachen.budgets.services import OfflineOrigin
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _tables(section):
    return {table.title: table for table in section.tables}


def _figures(section):
    return dict(section.figures)


@pytest.fixture
def ideas(budget, town, west, manager, region):
    """Town (1,000 €): A 500 €, B 500 €, C 300 € machbar; a market-stand idea and a
    letter not feasible; a hidden idea (not counted). West (500 €): D 200 € machbar."""
    a = feasible_idea(budget, town, 500, title="A Bänke", manager=manager)
    b = feasible_idea(budget, town, 500, title="B Spielplatz", manager=manager)
    c = feasible_idea(budget, town, 300, title="C Bücherzelle", manager=manager)
    d = feasible_idea(budget, west, 200, title="D Brunnen West", manager=manager)
    for channel, title in ((Channel.MARKET_STAND, "Parkhaus"), (Channel.LETTER, "Freibad")):
        idea = services.idea_submit(
            author=None,
            budget=budget,
            group=town,
            title=title,
            description="Zu teuer.",
            estimated_cost=900,
            offline=OfflineOrigin(
                channel=channel, submitted_on=timezone.localdate(), place="Markt"
            ),
            entered_by=manager,
            check_permission=False,
        )
        services.idea_review(
            user=manager,
            idea=idea,
            feasible=False,
            explanation="Nicht machbar.",
            check_permission=False,
        )
    hidden = services.idea_submit(
        author=UserFactory(),
        budget=budget,
        group=town,
        title="Ausgeblendet",
        description="Spam",
        estimated_cost=10,
        check_permission=False,
    )
    Idea.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    return {"a": a, "b": b, "c": c, "d": d}


def _vote(budget, town, west, ideas, region, manager):
    """Town: 12 ballots for A and B, 8 for C (5 of them online, 3 on a confirmed paper
    stack), and a stack of 3 for A not yet confirmed; West: 5 ballots for D."""
    set_budget_phase(budget.project, [VOTE])
    for _ in range(12):
        services.ballot_submit(
            voter=UserFactory(),
            group=town,
            idea_ids=[ideas["a"].pk, ideas["b"].pk],
            check_permission=False,
        )
    for _ in range(5):
        services.ballot_submit(
            voter=UserFactory(), group=town, idea_ids=[ideas["c"].pk], check_permission=False
        )
    for _ in range(5):
        services.ballot_submit(
            voter=UserFactory(home_district=region["west"]),
            group=west,
            idea_ids=[ideas["d"].pk],
            check_permission=False,
        )
    checker = MembershipFactory(
        organisation=budget.project.organisation, role=Role.PROJECT_MANAGER
    ).user
    budget.project.managers.add(checker)
    day = timezone.localdate()
    confirmed = services.paper_batch_create(user=manager, group=town, collected_on=day)
    services.paper_ballots_add(
        user=manager, batch=confirmed, lines="\n".join([str(ideas["c"].pk)] * 3)
    )
    services.paper_batch_confirm(user=checker, batch=confirmed)
    open_stack = services.paper_batch_create(user=manager, group=town, collected_on=day)
    services.paper_ballots_add(
        user=manager, batch=open_stack, lines="\n".join([str(ideas["a"].pk)] * 3)
    )


def _close_and_compute(budget, town, west):
    now = timezone.now()
    budget.project.phases.update(start=now - timedelta(days=10), end=now - timedelta(days=1))
    budget.project.__dict__.pop("_prefetched_objects_cache", None)
    for group in (town, west):
        group.budget = budget
        result = services.group_result(group=group)
        services.group_result_compute(result_id=result.pk)  # what the worker does


def _recount(budget):
    """The figures from the rows, in Python (not by the report's queries)."""
    shown = [i for i in Idea.objects.filter(budget=budget) if i.hidden_at is None]
    channels, reviews = {}, {}
    for idea in shown:
        channels[idea.channel] = channels.get(idea.channel, 0) + 1
        reviews[idea.feasibility] = reviews.get(idea.feasibility, 0) + 1
    ballots = {}
    for ballot in Ballot.objects.select_related("batch"):
        batch = ballot.batch
        if batch is not None and (batch.confirmed_at is None or batch.superseded_at):
            continue
        online, paper = ballots.get(ballot.group_id, (0, 0))
        ballots[ballot.group_id] = (online + (batch is None), paper + (batch is not None))
    return len(shown), channels, reviews, ballots


def test_figures_ideas_and_ballots_are_recounted_from_the_rows(
    budget, town, west, ideas, region, manager
):
    _vote(budget, town, west, ideas, region, manager)
    section = council_report.report(budget.project)
    total, channels, reviews, ballots = _recount(budget)
    assert (total, channels, reviews) == (
        6,
        {Channel.ONLINE: 4, Channel.MARKET_STAND: 1, Channel.LETTER: 1},
        {Feasibility.FEASIBLE: 4, Feasibility.UNFEASIBLE: 2},
    )
    assert ballots == {town.pk: (17, 3), west.pk: (5, 0)}
    figures = _figures(section)
    assert figures["Ideen"] == total
    assert figures["machbar"] == reviews[Feasibility.FEASIBLE]
    assert figures["nicht machbar"] == reviews[Feasibility.UNFEASIBLE]
    assert figures["Stimmzettel"] == sum(o + p for o, p in ballots.values()) == 25
    tables = _tables(section)
    assert tables["Ideen nach Kanal"].rows == (("online", 4), ("Brief", 1), ("Marktstand", 1))
    assert tables["Prüfung der Ideen"].rows == (("machbar", 4), ("nicht machbar", 2))
    groups = tables["Budgetgruppen"].rows
    assert [row[:5] for row in groups] == [
        ("Ganze Stadt", "1.000", 5, 17, 3),
        ("Ortsteilbudget West", "500", 1, 5, 0),
    ]
    # The ballot is open: no result, and the report says so without starting one.
    assert groups[0][5:] == ("Ergebnis steht noch aus", "–")
    result = tables[
        "Bürgerhaushalt 2027 – Ganze Stadt: Ergebnis nach „Methode der gleichen Anteile“"
    ]
    assert result.rows == (("Die Abstimmung ist noch nicht abgeschlossen.",),)
    assert not GroupResult.objects.exists()


def test_the_result_is_the_stored_one_under_the_binding_rule(
    budget, town, west, ideas, region, manager
):
    """By hand, Methode der gleichen Anteile (the budget's rule): 20 ballots share the
    town's 1,000 €, 50 € each. A's and B's 12 voters hold 600 €, C's 8 hold 400 €. Per
    euro of satisfaction A and B cost their voters 1/12 each, C 1/8: A first (as cheap
    as B, submitted earlier); its voters pay 41.67 € each and keep 100 € together, too
    little for B (500 €); C's voters can pay its 300 €: chosen second. 800 € are spent;
    the completion by votes finds nothing that fits in the 200 € left. 80 %.
    (Meiste Stimmen zuerst would have taken A and B: the other test.)
    West: 5 ballots hold 500 €, D costs 200 €: chosen, 40 %."""
    _vote(budget, town, west, ideas, region, manager)
    _close_and_compute(budget, town, west)
    tables = _tables(council_report.report(budget.project))
    town_result = tables[
        "Bürgerhaushalt 2027 – Ganze Stadt: Ergebnis nach „Methode der gleichen Anteile“"
    ]
    assert town_result.rows == (
        ("A Bänke", "500", 12, "gewählt (Schritt 1)"),
        ("C Bücherzelle", "300", 8, "gewählt (Schritt 2)"),
        ("B Spielplatz", "500", 12, "nicht gewählt"),
    )
    assert town_result.note == "20 Stimmzettel; vergeben 800\u00a0€ von 1.000\u00a0€ (80\u00a0%)."
    west_result = tables[
        "Bürgerhaushalt 2027 – Ortsteilbudget West: Ergebnis nach „Methode der gleichen Anteile“"
    ]
    assert west_result.rows == (("D Brunnen West", "200", 5, "gewählt (Schritt 1)"),)
    groups = tables["Budgetgruppen"].rows
    assert groups[0][5:] == ("800", "80\u00a0%")
    assert groups[1][5:] == ("200", "40\u00a0%")
    # A title hidden after the result reads as on the results page; the row stays.
    Idea.objects.filter(pk=ideas["c"].pk).update(hidden_at=timezone.now())
    tables = _tables(council_report.report(budget.project))
    assert (
        tables[
            "Bürgerhaushalt 2027 – Ganze Stadt: Ergebnis nach „Methode der gleichen Anteile“"
        ].rows[1][0]
        == "ausgeblendete Idee"
    )


def test_the_greedy_rule_when_the_budget_binds_it(budget, town, west, ideas, region, manager):
    """By hand, Meiste Stimmen zuerst: A and B have 12 votes each, C 8. A (as cheap as
    B, submitted earlier), then B: 1,000 €; C (300 €) no longer fits. 100 %."""
    budget.result_rule = "greedy"
    budget.save(update_fields=["result_rule"])
    _vote(budget, town, west, ideas, region, manager)
    _close_and_compute(budget, town, west)
    section = council_report.report(budget.project)
    rows = _tables(section)[
        "Bürgerhaushalt 2027 – Ganze Stadt: Ergebnis nach „Meiste Stimmen zuerst“"
    ].rows
    assert [(r[0], r[3]) for r in rows] == [
        ("A Bänke", "gewählt (Schritt 1)"),
        ("B Spielplatz", "gewählt (Schritt 2)"),
        ("C Bücherzelle", "nicht gewählt"),
    ]
    assert _tables(section)["Budgetgruppen"].rows[0][5:] == ("1.000", "100\u00a0%")
    assert "verbindliche Auszählungsregel „Meiste Stimmen zuerst“" in " ".join(section.text)


def test_no_budget_no_section(project):
    assert council_report.report(project) is None


def _more(budget, town, n):
    """``n`` more ideas (half offline) and ``n`` more online ballots, in bulk."""
    offline_day = timezone.localdate()
    made = Idea.objects.bulk_create(
        Idea(
            budget=budget,
            project=budget.project,
            group=town,
            title=f"Mehr {i}",
            description="D",
            estimated_cost=10,
            channel=Channel.WORKSHOP if i % 2 else Channel.ONLINE,
            submitted_on=offline_day if i % 2 else None,
        )
        for i in range(n)
    )
    ballots = Ballot.objects.bulk_create(Ballot(group=town) for _ in range(n))
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=b, idea=i) for b, i in zip(ballots, made, strict=True)
    )


def test_queries_do_not_grow_with_ideas_and_ballots(
    budget, town, west, ideas, region, manager, django_assert_max_num_queries
):
    _vote(budget, town, west, ideas, region, manager)
    _close_and_compute(budget, town, west)
    counted = []
    for n in (0, 400):
        _more(budget, town, n)
        with CaptureQueriesContext(connection) as queries:
            section = council_report.report(budget.project)
        counted.append(len(queries))
        assert _figures(section)["Ideen"] == 6 + n
    assert counted[0] == counted[1]
    with django_assert_max_num_queries(5):
        council_report.report(budget.project)


def _flat(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)  # words hyphenated at a line's end


def test_the_section_in_the_pdf_and_its_html(budget, town, west, ideas, region, manager):
    from mitmachen.dashboard import report_build, report_render

    _vote(budget, town, west, ideas, region, manager)
    _close_and_compute(budget, town, west)
    data = report_build.collect(budget.project)
    assert [s.key for s in data.sections if s.key == "budgets"] == ["budgets"]
    laid_out = [(s, [(t, report_render.widths(t)) for t in s.tables]) for s in data.sections]
    html = render_to_string(
        "dashboard/report/print.html", {"data": data, "site": "", "sections": laid_out}
    )
    assert "<h3>1. Bürgerhaushalt</h3>" in html
    assert "<td>A Bänke</td><td>500</td><td>12</td><td>gewählt (Schritt 1)</td>" in html
    content, pages = report_render.pdf(data)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert "Bürgerhaushalt" in text and "Ergebnis nach „Methode der gleichen Anteile“" in text
    assert "20 Stimmzettel; vergeben 800 € von 1.000 € (80 %)." in text.replace("\u00a0", " ")
    # No resident is named (the authors and voters are factory accounts).
    for person in UserFactory._meta.model.objects.exclude(display_name=""):
        assert person.display_name not in text


def test_the_demo_shows_the_section(demo_rows):
    """Last year's finished budget of the demo: 400 ballots, 60 online and 340 on paper,
    and the winners of its stored result under Methode der gleichen Anteile."""
    from mitmachen.budgets.models import Budget

    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    section = council_report.report(budget.project)
    assert _figures(section)["Stimmzettel"] == 400
    tables = _tables(section)
    assert tables["Budgetgruppen"].rows[0][3:5] == (60, 340)
    data = GroupResult.objects.get(group__budget=budget).data
    titles = dict(Idea.objects.filter(budget=budget).values_list("pk", "title"))
    winners = {titles[r["idea"]] for r in data["rows"] if r["mes"]}
    result = tables[
        "Bürgerhaushalt 2026 – Ganze Stadt: Ergebnis nach „Methode der gleichen Anteile“"
    ]
    assert {r[0] for r in result.rows if r[3] != "nicht gewählt"} == winners
