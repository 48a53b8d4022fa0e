"""The catalogue as CSV, XLSX and open-data JSON: contents, defused cells, visibility
and a query count that does not grow with the catalogue."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mitmachen.measures import exports
from mitmachen.measures.models import Measure, ProgressMode
from mitmachen.measures.tests.factories import MeasureFactory, MilestoneFactory
from mitmachen.measures.tests.test_queries import grow


def _get(client, organisation, kind):
    response = client.get(reverse(f"measures:export_{kind}", args=[organisation.slug]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv(client, organisation):
    text = _get(client, organisation, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def measure(goal, region):
    m = MeasureFactory(
        goal=goal,
        title='=HYPERLINK("http://evil")',
        description="Zeile eins\x0bZeile zwei\x01",
        responsible="Bauamt",
        cost=Decimal("12500.50"),
        planned_start=date(2025, 3, 1),
        planned_end=date(2026, 6, 30),
        latitude=52.14,
        longitude=12.59,
        progress_manual=40,
        progress=40,
    )
    m.districts.add(region["west"], region["east"])
    return m


def test_csv_has_the_columns_and_defuses_formulas(client, organisation, measure):
    rows = _csv(client, organisation)
    assert rows[0] == exports.COLUMNS
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["ID"] == str(measure.pk)
    assert line["Titel"] == '\'=HYPERLINK("http://evil")'
    assert line["Ziel"] == "Marktplatz beleben"
    assert line["Kosten (Euro)"] == "12500.50"
    assert line["Geplanter Beginn"] == "2025-03-01"
    assert line["Status"] == "in Umsetzung"
    assert line["Fortschritt (Prozent)"] == "40"
    assert line["Veröffentlicht"] == "ja"
    assert line["Ortsteile"].count(",") == 1


def test_xlsx_defuses_formulas_and_drops_control_characters(client, organisation, measure):
    sheet = load_workbook(io.BytesIO(_get(client, organisation, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.COLUMNS
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Titel"] == '\'=HYPERLINK("http://evil")'
    assert line["Beschreibung"] == "Zeile eins\nZeile zwei"
    assert line["Geplantes Ende"].date() == date(2026, 6, 30)
    assert sheet["E2"].data_type == "s"  # text, never a formula


def test_json_is_a_tree_with_stable_ids(client, organisation, measure):
    MilestoneFactory(measure=measure, title="Ausschreibung", done=True)
    Measure.objects.filter(pk=measure.pk).update(progress_mode=ProgressMode.MILESTONES)
    data = json.loads(_get(client, organisation, "json"))
    [field] = data["fields_of_action"]
    [goal] = field["goals"]
    [item] = goal["measures"]
    assert field["id"] == measure.goal.field_id and goal["id"] == measure.goal_id
    assert item["id"] == measure.pk
    assert item["url"].endswith(f"/massnahmen/{measure.pk}/")
    assert item["cost_eur"] == "12500.50"
    assert item["progress_from_milestones"] is True
    assert item["milestones"] == [
        {"title": "Ausschreibung", "due": None, "done": True, "weight": 1}
    ]


def test_drafts_are_exported_only_to_staff(client, organisation, goal, manager):
    MeasureFactory(goal=goal, title="Öffentlich")
    MeasureFactory(goal=goal, title="Entwurf", published=False)
    assert [r[4] for r in _csv(client, organisation)[1:]] == ["Öffentlich"]
    client.force_login(manager)
    assert sorted(r[4] for r in _csv(client, organisation)[1:]) == ["Entwurf", "Öffentlich"]


def test_the_overview_links_the_exports(client, organisation, measure):
    page = client.get(reverse("measures:overview", args=[organisation.slug])).content.decode()
    for kind in ("csv", "xlsx", "json"):
        assert reverse(f"measures:export_{kind}", args=[organisation.slug]) in page


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_export_queries_do_not_grow(client, region, project, kind):
    organisation = region["organisation"]
    districts = [region["west"], region["east"]]

    def count():
        with CaptureQueriesContext(connection) as queries:
            content = _get(client, organisation, kind)
        return len(queries), content

    grow(organisation, districts, project, 10)
    few, _content = count()
    Measure.objects.all().delete()
    grow(organisation, districts, project, 500)
    many, content = count()
    assert many == few <= 8
    if kind == "csv":
        assert content.decode("utf-8-sig").count("\n") == 501


# Milestones, origins and the area: read-only columns and open-data fields.


@pytest.fixture
def traced(measure, project, goal):
    """The measure with two milestones, a proposal, a debate and a hidden debate behind
    it, and an area."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from mitmachen.debates.models import Debate
    from mitmachen.debates.tests.factories import DebateFactory
    from mitmachen.measures.models import MeasureOrigin
    from mitmachen.proposals.tests.factories import ProposalFactory

    MilestoneFactory(measure=measure, title="=Ausschreibung()", done=True, due=date(2025, 3, 31))
    MilestoneFactory(measure=measure, title="Bau", done=False, due=date(2026, 1, 15))
    proposal = ProposalFactory(project=project, title="Bänke am Markt")
    measure.proposals.add(proposal)
    debate_type = ContentType.objects.get_for_model(Debate)
    debate = DebateFactory(project=project, question="+Soll der Markt autofrei werden?")
    hidden = DebateFactory(project=project, question="Ausgeblendet?", hidden_at=timezone.now())
    for row in (debate, hidden):
        MeasureOrigin.objects.create(measure=measure, content_type=debate_type, object_id=row.pk)
    area = {
        "type": "Polygon",
        "coordinates": [[[12.0, 52.0], [12.01, 52.0], [12.01, 52.01], [12.0, 52.0]]],
    }
    Measure.objects.filter(pk=measure.pk).update(area=area)
    return {"proposal": proposal, "debate": debate, "area": area}


def _line(rows):
    return dict(zip(rows[0], rows[1], strict=True))


def test_csv_has_milestones_origins_and_area(client, organisation, measure, traced):
    line = _line(_csv(client, organisation))
    assert line["Meilensteine erledigt"] == "1 von 2"
    assert (
        line["Meilensteine"] == "erledigt: =Ausschreibung() (2025-03-31); offen: Bau (2026-01-15)"
    )
    proposal, debate = traced["proposal"], traced["debate"]
    assert line["Herkunft"] == (
        f"Vorschlag: Bänke am Markt (http://testserver{proposal.get_absolute_url()}); "
        f"Debatte: +Soll der Markt autofrei werden? (http://testserver{debate.get_absolute_url()})"
    )
    assert "Ausgeblendet?" not in line["Herkunft"]
    assert json.loads(line["Fläche (GeoJSON)"]) == traced["area"]


def test_xlsx_read_only_cells_are_text_and_never_formulas(client, organisation, measure, traced):
    Measure.objects.filter(pk=measure.pk).update(area=None)
    MeasureFactory(goal=measure.goal, title="Ohne alles")
    sheet = load_workbook(io.BytesIO(_get(client, organisation, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    by_title = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    line = by_title['\'=HYPERLINK("http://evil")']
    assert line["Meilensteine erledigt"] == "1 von 2"
    assert line["Herkunft"].startswith("Vorschlag: Bänke am Markt (http://testserver/")
    bare = by_title["Ohne alles"]
    assert [bare[c] for c in exports.READ_ONLY] == [None, None, None, None]
    for cell in sheet[2]:
        assert cell.data_type != "f", cell.coordinate  # never a formula


def test_no_csv_cell_starts_a_formula(client, organisation, measure, traced):
    """User text leads no read-only cell (each starts with our words or "{"), and every
    cell of the row is defused: none starts with "=", "+", "-" or "@"."""
    from mitmachen.core.csv_export import FORMULA_STARTS

    MilestoneFactory(measure=measure, title="-1", done=False)
    line = _line(_csv(client, organisation))
    assert line["Titel"].startswith("'=")
    for column, cell in line.items():
        assert not cell.lstrip(" ").startswith(FORMULA_STARTS), column


def test_json_has_milestone_counts_origins_and_area(client, organisation, measure, traced):
    data = json.loads(_get(client, organisation, "json"))
    [item] = data["fields_of_action"][0]["goals"][0]["measures"]
    assert (item["milestones_done"], item["milestones_total"]) == (1, 2)
    assert [(o["kind"], o["title"]) for o in item["origins"]] == [
        ("vorschlag", "Bänke am Markt"),
        ("debatte", "+Soll der Markt autofrei werden?"),
    ]
    assert item["origins"][1]["url"] == f"http://testserver{traced['debate'].get_absolute_url()}"
    assert item["area"] == traced["area"]
    assert item["districts"] == ["Ost", "West"]


def test_origins_a_resident_may_not_see_are_not_exported(client, organisation, measure, traced):
    from django.utils import timezone

    from mitmachen.proposals.models import Proposal

    Proposal.objects.filter(pk=traced["proposal"].pk).update(hidden_at=timezone.now())
    line = _line(_csv(client, organisation))
    assert "Bänke am Markt" not in line["Herkunft"]
    assert line["Herkunft"].startswith("Debatte: ")
