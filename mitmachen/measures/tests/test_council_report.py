"""Measures' section of the council report (``measures.council_report``): its figures
worked out in the test from the rows (not by ``progress.rollup``), the same number of
queries for small and larger data, and the section in the PDF and its HTML."""

from __future__ import annotations

import io
import re
from fractions import Fraction

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from mitmachen.debates.models import Debate
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.measures import council_report
from mitmachen.measures.models import Measure, MeasureOrigin, Milestone
from mitmachen.measures.tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    MeasureFactory,
    MilestoneFactory,
    default_status,
)
from mitmachen.projects.models import Project
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _origin(measure, row):
    MeasureOrigin.objects.create(
        measure=measure, content_type=ContentType.objects.get_for_model(row), object_id=row.pk
    )


@pytest.fixture
def catalogue(project, organisation):
    """Two fields: "Innenstadt" with goals g1 (weight 2) and g2, "Mobilität" with g3.

    m1 (g1, 40 %, weight 1, in Umsetzung): milestones 2 done, 1 open; from two proposals
    (and a withdrawn one, not counted). m2 (g1, 100 %, weight 3, umgesetzt): from a
    debate (and a hidden one, not counted). m3 (g2, verworfen, 0 %). m4 (g3, 50 %,
    weight 2, geplant): 3 milestones open. Not in the report: a draft of the project
    and a measure of another project."""
    inner = FieldOfActionFactory(organisation=organisation, title="Innenstadt", order=1)
    mobile = FieldOfActionFactory(organisation=organisation, title="Mobilität", order=2)
    g1 = GoalFactory(field=inner, weight=2, order=1)
    g2 = GoalFactory(field=inner, weight=1, order=2)
    g3 = GoalFactory(field=mobile, weight=1)
    m1 = MeasureFactory(
        goal=g1, project=project, title="Bänke am Markt", progress=40, weight=1,
        status=default_status("in_progress"),
    )  # fmt: skip
    m2 = MeasureFactory(
        goal=g1, project=project, title="Brunnen", progress=100, weight=3,
        status=default_status("done"),
    )  # fmt: skip
    m3 = MeasureFactory(
        goal=g2, project=project, title="Kita", progress=0, status=default_status("discarded"),
        status_reason="Zu teuer.",
    )  # fmt: skip
    m4 = MeasureFactory(
        goal=g3, project=project, title="Radwege", progress=50, weight=2,
        status=default_status("planned"),
    )  # fmt: skip
    MeasureFactory(goal=g3, project=project, title="Entwurf", progress=90, published=False)
    MeasureFactory(goal=g3, project=ProjectFactory(organisation=organisation), progress=10)
    for done in (True, True, False):
        MilestoneFactory(measure=m1, done=done)
    for _ in range(3):
        MilestoneFactory(measure=m4, done=False)
    proposals = [
        Proposal.objects.create(project=project, title=f"Vorschlag {i}", text="T") for i in range(3)
    ]
    Proposal.objects.filter(pk=proposals[2].pk).update(withdrawn_at=timezone.now())
    m1.proposals.set(proposals)
    shown = DebateFactory(project=project)
    hidden = DebateFactory(project=project)
    Debate.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    _origin(m2, shown)
    _origin(m2, hidden)
    return {"measures": [m1, m2, m3, m4]}


def _expected(project):
    """The figures from the rows, worked out here in plain arithmetic."""
    measures = list(
        Measure.objects.filter(project=project, published=True).select_related("status")
    )
    counting = [m for m in measures if m.status.kind != "discarded"]
    overall = Fraction(
        sum(m.progress * m.weight for m in counting), sum(m.weight for m in counting)
    )
    milestones = Milestone.objects.filter(measure__in=measures)
    return {
        "Maßnahmen": len(measures),
        "gewichteter Fortschritt": f"{int(overall + Fraction(1, 2))}\u00a0%",
        "Meilensteine erledigt": milestones.filter(done=True).count(),
        "Meilensteine geplant": milestones.filter(done=False).count(),
    }


def test_figures_and_tables_worked_out_from_the_rows(project, catalogue):
    section = council_report.report(project)
    expected = _expected(project)
    figures = dict(section.figures)
    # (40·1 + 100·3 + 50·2) / (1 + 3 + 2) = 73.3 %: the discarded measure counts not.
    assert expected == {
        "Maßnahmen": 4,
        "gewichteter Fortschritt": "73\u00a0%",
        "Meilensteine erledigt": 2,
        "Meilensteine geplant": 4,
    }
    assert {k: figures[k] for k in expected} == expected
    assert figures["aus Beiträgen hervorgegangen"] == 2
    tables = {t.title: t for t in section.tables}
    assert tables["Maßnahmen nach Status"].rows == (
        ("geplant", 1),
        ("in Umsetzung", 1),
        ("umgesetzt", 1),
        ("verworfen", 1),
    )
    # Innenstadt: g1 = (40·1 + 100·3) / 4 = 85 %, g2 has no measure that counts; so 85 %.
    # Mobilität: g3 = 50 %.
    assert tables["Fortschritt nach Handlungsfeld"].rows == (
        ("Innenstadt", 3, "85\u00a0%"),
        ("Mobilität", 1, "50\u00a0%"),
    )
    assert tables["Herkunft der Maßnahmen"].rows == (("Vorschläge", 2, 1), ("Debatte", 1, 1))
    rows = {row[0]: row[1:] for row in tables["Maßnahmen"].rows}
    assert rows == {
        "Bänke am Markt": ("in Umsetzung", "40\u00a0%", 2, 1, "Vorschläge: 2"),
        "Brunnen": ("umgesetzt", "100\u00a0%", 0, 0, "Debatte: 1"),
        "Kita": ("verworfen", "0\u00a0%", 0, 0, "–"),
        "Radwege": ("geplant", "50\u00a0%", 0, 3, "–"),
    }


def test_no_published_measure_no_section(project, catalogue):
    Measure.objects.filter(project=project).update(published=False)
    assert council_report.report(project) is None


def _more(project, goal, n):
    """``n`` more measures, each with two milestones, a proposal and a debate."""
    made = Measure.objects.bulk_create(
        Measure(
            organisation=goal.field.organisation,
            goal=goal,
            project=project,
            title=f"Mehr {i}",
            status=default_status("in_progress"),
            progress=i % 101,
            published=True,
        )
        for i in range(n)
    )
    Milestone.objects.bulk_create(
        Milestone(measure=m, title="M", done=bool(i % 2)) for m in made for i in range(2)
    )
    proposal = Proposal.objects.create(project=project, title="Noch einer", text="T")
    debate = DebateFactory(project=project)
    debate_type = ContentType.objects.get_for_model(Debate)
    Measure.proposals.through.objects.bulk_create(
        Measure.proposals.through(measure=m, proposal=proposal) for m in made
    )
    MeasureOrigin.objects.bulk_create(
        MeasureOrigin(measure=m, content_type=debate_type, object_id=debate.pk) for m in made
    )


def test_queries_do_not_grow_with_the_measures(project, catalogue, django_assert_max_num_queries):
    council_report.report(project)  # content types are cached after the first read
    goal = catalogue["measures"][0].goal
    counted = []
    for n in (0, 300):
        _more(project, goal, n)
        with CaptureQueriesContext(connection) as queries:
            section = council_report.report(project)
        counted.append(len(queries))
        assert dict(section.figures)["Maßnahmen"] == 4 + n
        assert dict(section.figures)["Meilensteine geplant"] == 4 + n
    assert counted[0] == counted[1]
    # Measures, milestones, goals, proposals, references, and the debates referred to.
    with django_assert_max_num_queries(6):
        council_report.report(project)


def _flat(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    return re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)  # words hyphenated at a line's end


def test_the_section_in_the_pdf_and_its_html(project, catalogue):
    from mitmachen.dashboard import report_build, report_render

    data = report_build.collect(project)
    assert "measures" in [s.key for s in data.sections]
    laid_out = [(s, [(t, report_render.widths(t)) for t in s.tables]) for s in data.sections]
    html = render_to_string(
        "dashboard/report/print.html", {"data": data, "site": "", "sections": laid_out}
    )
    assert re.search(r"<h3>\d\. Maßnahmen</h3>", html)
    assert "<td>Bänke am Markt</td><td>in Umsetzung</td><td>40\u00a0%</td>" in html
    content, pages = report_render.pdf(data)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert "Fortschritt nach Handlungsfeld" in text and "Vorschläge: 2" in text
    assert "73 % gewichteter Fortschritt" in text


def test_the_demo_shows_the_section(demo_rows):
    project = Project.objects.get(slug="insek-bad-belzig-2035")
    section = council_report.report(project)
    published = Measure.objects.filter(project=project, published=True)
    assert dict(section.figures)["Maßnahmen"] == published.count() >= 3
    listed = {row[0] for row in {t.title: t for t in section.tables}["Maßnahmen"].rows}
    assert listed == set(published.values_list("title", flat=True))
