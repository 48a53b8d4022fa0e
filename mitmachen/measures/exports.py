"""The catalogue as a spreadsheet (CSV, XLSX) and as open data (JSON).

One row per measure with its field of action and goal; the columns (``COLUMNS``) are
the import's too, so an exported file can be edited and imported again: the ``ID``
column (the measure's primary key, stable for as long as the measure exists) makes
the import update that measure instead of adding a second one.

Only what the person may see is exported (``selectors.visible_measures``). The rows
are read in chunks (``iterator``) with their Ortsteile and milestones prefetched per
chunk, so the number of queries does not grow with the catalogue below a chunk's size.
Cells a spreadsheet would run as a formula are defused (``core.csv_export``), and XLSX
cells lose the control characters the format cannot hold.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook

from mitmachen.core.csv_export import xlsx_cell
from mitmachen.measures.models import Measure, Milestone, Priority, ProgressMode
from mitmachen.measures.selectors import visible_measures

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
]

# "Fortschritt (Prozent)" of a measure whose progress comes from its milestones.
FROM_MILESTONES = "Meilensteine"
YES, NO = "ja", "nein"
# Priority in the file: the German word, whatever the reader's language.
PRIORITY_WORDS = {Priority.HIGH: "hoch", Priority.MEDIUM: "mittel", Priority.LOW: "niedrig"}


def _measures(user: Any, organisation: Any, *, milestones: bool = False) -> Iterator[Measure]:
    """The visible measures in catalogue order, read in chunks (milestones for JSON)."""
    prefetch: list[Any] = ["districts"]
    if milestones:
        prefetch.append(Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk")))
    return (
        visible_measures(user, organisation)
        .select_related("status", "project", "goal__field")
        .prefetch_related(*prefetch)
        .order_by(
            "goal__field__order",
            "goal__field__title",
            "goal__field_id",
            "goal__order",
            "goal__title",
            "goal_id",
            "title",
            "pk",
        )
        .iterator(chunk_size=CHUNK)
    )


def row(measure: Measure) -> list[Any]:
    """The measure's cells, in the order of ``COLUMNS`` (dates and numbers as values)."""
    return [
        measure.pk,
        measure.goal.field.title,
        measure.goal.title,
        measure.goal.weight,
        measure.title,
        measure.description,
        measure.responsible,
        ", ".join(sorted(d.name for d in measure.districts.all())),
        measure.project.title if measure.project else "",
        measure.latitude,
        measure.longitude,
        measure.cost,
        measure.funding_source,
        PRIORITY_WORDS.get(Priority(measure.priority), measure.priority),
        measure.planned_start,
        measure.planned_end,
        measure.actual_start,
        measure.actual_end,
        measure.status.name,
        measure.status_reason,
        FROM_MILESTONES
        if measure.progress_mode == ProgressMode.MILESTONES
        else measure.progress_manual,
        measure.weight,
        YES if measure.published else NO,
    ]


def _text(value: Any) -> str:
    """A cell as CSV text: dates as 2025-03-31, numbers with a point, empty for none."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_rows(user: Any, organisation: Any) -> Iterator[list[str]]:
    for measure in _measures(user, organisation):
        yield [_text(value) for value in row(measure)]


def xlsx_bytes(user: Any, organisation: Any) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Maßnahmen")
    sheet.append(COLUMNS)
    for measure in _measures(user, organisation):
        sheet.append([xlsx_cell(value) for value in row(measure)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def open_data(user: Any, organisation: Any, base_url: str) -> dict[str, Any]:
    """The catalogue as a tree for open data: fields → goals → measures, each with its
    stable ``id`` (the primary key) and the measure's public address."""
    fields: dict[int, dict[str, Any]] = {}
    goals: dict[int, dict[str, Any]] = {}
    for measure in _measures(user, organisation, milestones=True):
        goal, field = measure.goal, measure.goal.field
        if field.pk not in fields:
            fields[field.pk] = {"id": field.pk, "title": field.title, "goals": []}
        if goal.pk not in goals:
            goals[goal.pk] = {
                "id": goal.pk,
                "title": goal.title,
                "weight": goal.weight,
                "measures": [],
            }
            fields[field.pk]["goals"].append(goals[goal.pk])
        goals[goal.pk]["measures"].append(
            {
                "id": measure.pk,
                "url": base_url + measure.get_absolute_url(),
                "title": measure.title,
                "description": measure.description,
                "responsible": measure.responsible,
                "districts": sorted(d.name for d in measure.districts.all()),
                "project": measure.project.title if measure.project else None,
                "point": {"latitude": measure.latitude, "longitude": measure.longitude}
                if measure.latitude is not None
                else None,
                "cost_eur": str(measure.cost) if measure.cost is not None else None,
                "funding_source": measure.funding_source,
                "priority": measure.priority,
                "planned_start": _date(measure.planned_start),
                "planned_end": _date(measure.planned_end),
                "actual_start": _date(measure.actual_start),
                "actual_end": _date(measure.actual_end),
                "status": measure.status.name,
                "status_kind": measure.status.kind,
                "status_reason": measure.status_reason,
                "progress_percent": measure.progress,
                "progress_from_milestones": measure.progress_mode == ProgressMode.MILESTONES,
                "weight": measure.weight,
                "published": measure.published,
                "milestones": [
                    {"title": m.title, "due": _date(m.due), "done": m.done, "weight": m.weight}
                    for m in measure.milestones.all()
                ],
            }
        )
    return {
        "municipality": organisation.display_name,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "fields_of_action": list(fields.values()),
    }
