"""The catalogue as a spreadsheet (CSV, XLSX) and as open data (JSON).

One row per measure with its field of action and goal; the columns (``COLUMNS``) are
the import's too, so an exported file can be edited and imported again: the ``ID``
column (the measure's primary key, stable for as long as the measure exists) makes
the import update that measure instead of adding a second one. The last columns
(``READ_ONLY``: milestones done and their list, the origins with their addresses, the
area as GeoJSON) are for reading; the import names them as not read.

Only what the person may see is exported (``selectors.visible_measures``), origins
included. The rows are read as plain values in chunks (``iterator``), the Ortsteile
and milestones of all of them in one query each, the origins in one per kind: a fixed
number of queries, however big the catalogue.
Cells a spreadsheet would run as a formula are defused (``core.csv_export``), and XLSX
cells lose the control characters the format cannot hold.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from mitmachen.core.csv_export import xlsx_cell
from mitmachen.measures.models import Measure, Milestone, Priority, ProgressMode
from mitmachen.measures.origins import origins_by_measure
from mitmachen.measures.selectors import TREE_ORDER, visible_measures

CHUNK = 1000

# The columns of the spreadsheet, in order. The names are part of the file format
# (the import reads them), so they are not translated.
ID = "ID"
FIELD = "Handlungsfeld"
GOAL = "Ziel"
GOAL_WEIGHT = "Gewicht des Ziels"
TITLE = "Titel"
DESCRIPTION = "Beschreibung"
RESPONSIBLE = "Verantwortlich"
DISTRICTS = "Ortsteile"
PROJECT = "Beteiligungsprozess"
LATITUDE = "Breitengrad"
LONGITUDE = "Längengrad"
COST = "Kosten (Euro)"
FUNDING = "Finanzierung"
PRIORITY = "Priorität"
PLANNED_START = "Geplanter Beginn"
PLANNED_END = "Geplantes Ende"
ACTUAL_START = "Tatsächlicher Beginn"
ACTUAL_END = "Tatsächliches Ende"
STATUS = "Status"
STATUS_REASON = "Begründung des Status"
PROGRESS = "Fortschritt (Prozent)"
WEIGHT = "Gewicht"
PUBLISHED = "Veröffentlicht"
# Read-only: what the export tells and the import does not read (``READ_ONLY``).
MILESTONES_DONE = "Meilensteine erledigt"
MILESTONE_LIST = "Meilensteine"
ORIGINS = "Herkunft"
AREA = "Fläche (GeoJSON)"

COLUMNS = [
    ID,
    FIELD,
    GOAL,
    GOAL_WEIGHT,
    TITLE,
    DESCRIPTION,
    RESPONSIBLE,
    DISTRICTS,
    PROJECT,
    LATITUDE,
    LONGITUDE,
    COST,
    FUNDING,
    PRIORITY,
    PLANNED_START,
    PLANNED_END,
    ACTUAL_START,
    ACTUAL_END,
    STATUS,
    STATUS_REASON,
    PROGRESS,
    WEIGHT,
    PUBLISHED,
    MILESTONES_DONE,
    MILESTONE_LIST,
    ORIGINS,
    AREA,
]
# Exported for reading; an import names them as not read ("Diese Spalten werden nicht
# gelesen") and changes nothing of them: milestones are kept on the measure's page, its
# origins are linked there, and the area is drawn on the map form.
READ_ONLY = (MILESTONES_DONE, MILESTONE_LIST, ORIGINS, AREA)

# "Fortschritt (Prozent)" of a measure whose progress comes from its milestones.
FROM_MILESTONES = "Meilensteine"
YES, NO = "ja", "nein"
DONE, OPEN = "erledigt", "offen"
# Priority in the file: the German word, whatever the reader's language.
PRIORITY_WORDS = {Priority.HIGH: "hoch", Priority.MEDIUM: "mittel", Priority.LOW: "niedrig"}


# What a row is read from: plain values, no model instances (10,000 measures as
# instances with their goal, field, status, project and Ortsteile: several times slower).
VALUES = (
    "pk",
    "goal__field_id",
    "goal__field__title",
    "goal_id",
    "goal__title",
    "goal__weight",
    "title",
    "description",
    "responsible",
    "project__title",
    "latitude",
    "longitude",
    "cost",
    "funding_source",
    "priority",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status__name",
    "status__kind",
    "status_reason",
    "progress_mode",
    "progress_manual",
    "progress",
    "weight",
    "published",
    "area",
)


def _measures(user: Any, organisation: Any, *, base_url: str = "") -> Iterator[dict[str, Any]]:
    """The visible measures in catalogue order as dictionaries of ``VALUES`` with their
    ``districts`` (names), ``milestones`` and the ``origins`` the person may see (with
    ``base_url`` before their addresses): a fixed number of queries, whatever the size
    (the rows are read in chunks; Ortsteile and milestones in one query each, the
    origins in one per kind, ``origins.origins_by_measure``)."""
    visible = visible_measures(user, organisation)
    districts: dict[int, list[str]] = {}
    for measure_id, name in (
        Measure.districts.through.objects.filter(measure__in=visible.values("pk"))
        .order_by("district__name")
        .values_list("measure_id", "district__name")
    ):
        districts.setdefault(measure_id, []).append(name)
    steps: dict[int, list[dict[str, Any]]] = {}
    for measure_id, title, due, done, weight in (
        Milestone.objects.filter(measure__in=visible.values("pk"))
        .order_by("due", "pk")
        .values_list("measure_id", "title", "due", "done", "weight")
    ):
        steps.setdefault(measure_id, []).append(
            {"title": title, "due": _date(due), "done": done, "weight": weight}
        )
    sources = origins_by_measure(user, visible)
    for values in visible.order_by(*TREE_ORDER).values(*VALUES).iterator(chunk_size=CHUNK):
        values["districts"] = districts.get(values["pk"], [])
        values["milestones"] = steps.get(values["pk"], [])
        values["origins"] = [
            {"kind": o.key, "label": o.label, "title": o.title, "url": base_url + o.url}
            for o in sources.get(values["pk"], [])
        ]
        yield values


def _milestones_done(m: dict[str, Any]) -> str:
    """ "2 von 5", empty without milestones."""
    steps = m["milestones"]
    if not steps:
        return ""
    return f"{sum(1 for step in steps if step['done'])} von {len(steps)}"


def _milestone_list(m: dict[str, Any]) -> str:
    """ "erledigt: Ausschreibung (2025-03-31); offen: Bau", in order of their dates."""
    return "; ".join(
        f"{DONE if step['done'] else OPEN}: {step['title']}"
        + (f" ({step['due']})" if step["due"] else "")
        for step in m["milestones"]
    )


def _origin_list(m: dict[str, Any]) -> str:
    """ "Vorschlag: Bänke am Markt (https://…/vorschlaege/5/); Debatte: …"."""
    return "; ".join(f"{o['label']}: {o['title']} ({o['url']})" for o in m["origins"])


def row(m: dict[str, Any]) -> list[Any]:
    """The measure's cells, in the order of ``COLUMNS`` (dates and numbers as values)."""
    return [
        m["pk"],
        m["goal__field__title"],
        m["goal__title"],
        m["goal__weight"],
        m["title"],
        m["description"],
        m["responsible"],
        ", ".join(m["districts"]),
        m["project__title"] or "",
        m["latitude"],
        m["longitude"],
        m["cost"],
        m["funding_source"],
        PRIORITY_WORDS.get(m["priority"], m["priority"]),
        m["planned_start"],
        m["planned_end"],
        m["actual_start"],
        m["actual_end"],
        m["status__name"],
        m["status_reason"],
        FROM_MILESTONES if m["progress_mode"] == ProgressMode.MILESTONES else m["progress_manual"],
        m["weight"],
        YES if m["published"] else NO,
        _milestones_done(m),
        _milestone_list(m),
        _origin_list(m),
        json.dumps(m["area"], ensure_ascii=False) if m["area"] else "",
    ]


def _text(value: Any) -> str:
    """A cell as CSV text: dates as 2025-03-31, numbers with a point, empty for none."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def csv_rows(user: Any, organisation: Any, base_url: str = "") -> Iterator[list[str]]:
    for measure in _measures(user, organisation, base_url=base_url):
        yield [_text(value) for value in row(measure)]


def xlsx_bytes(user: Any, organisation: Any, base_url: str = "") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Maßnahmen")
    sheet.append(COLUMNS)
    for measure in _measures(user, organisation, base_url=base_url):
        sheet.append([xlsx_cell(value) for value in row(measure)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def open_data(user: Any, organisation: Any, base_url: str) -> dict[str, Any]:
    """The catalogue as a tree for open data: fields → goals → measures, each with its
    stable ``id`` (the primary key) and the measure's public address."""
    fields: dict[int, dict[str, Any]] = {}
    goals: dict[int, dict[str, Any]] = {}
    for m in _measures(user, organisation, base_url=base_url):
        field_id, goal_id = m["goal__field_id"], m["goal_id"]
        if field_id not in fields:
            fields[field_id] = {"id": field_id, "title": m["goal__field__title"], "goals": []}
        if goal_id not in goals:
            goals[goal_id] = {
                "id": goal_id,
                "title": m["goal__title"],
                "weight": m["goal__weight"],
                "measures": [],
            }
            fields[field_id]["goals"].append(goals[goal_id])
        goals[goal_id]["measures"].append(
            {
                "id": m["pk"],
                "url": base_url + reverse("measures:detail", args=[m["pk"]]),
                "title": m["title"],
                "description": m["description"],
                "responsible": m["responsible"],
                "districts": m["districts"],
                "project": m["project__title"],
                "point": {"latitude": m["latitude"], "longitude": m["longitude"]}
                if m["latitude"] is not None
                else None,
                "cost_eur": str(m["cost"]) if m["cost"] is not None else None,
                "funding_source": m["funding_source"],
                "priority": m["priority"],
                "planned_start": _date(m["planned_start"]),
                "planned_end": _date(m["planned_end"]),
                "actual_start": _date(m["actual_start"]),
                "actual_end": _date(m["actual_end"]),
                "status": m["status__name"],
                "status_kind": m["status__kind"],
                "status_reason": m["status_reason"],
                "progress_percent": m["progress"],
                "progress_from_milestones": m["progress_mode"] == ProgressMode.MILESTONES,
                "weight": m["weight"],
                "published": m["published"],
                "milestones": m["milestones"],
                "milestones_done": sum(1 for step in m["milestones"] if step["done"]),
                "milestones_total": len(m["milestones"]),
                "origins": m["origins"],
                "area": m["area"],
            }
        )
    return {
        "municipality": organisation.display_name,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "fields_of_action": list(fields.values()),
    }
