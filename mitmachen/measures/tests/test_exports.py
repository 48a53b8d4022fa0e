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
