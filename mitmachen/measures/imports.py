"""Reading a measure list (XLSX or CSV) into checked rows with German per-row errors.

The columns are the export's (``exports.COLUMNS``), found by their heading in any order
and case; "Handlungsfeld", "Ziel" and "Titel" are required, every other column is
optional: a column that is missing leaves that value of an existing measure as it is
(and gives a new one the default). Columns the import does not know, and the export's
read-only ones (``exports.READ_ONLY``: milestones, origins, area), are named in the
preview as not read and ignored. A row with an ``ID`` changes that measure of the municipality; a
row without one adds a measure. Fields of action and goals are found by their title
(case ignored) and created when new.

``parse`` reads the whole file and returns every row it could check and every error as
"Zeile 7, Spalte Status: „fertig“ ist kein bekannter Status." – the services store
nothing unless there is no error at all. The file is read without the database except
for one query per lookup table (fields, goals, statuses, Ortsteile, projects, the
measures named by ID), so its cost grows with the rows, not with queries.

CSV: UTF-8 (with or without byte-order mark) or Windows-1252/Latin-1; semicolon, comma
or tab, found from the heading line. XLSX: the first sheet. A cell the export defused
(an apostrophe before "=", "+", "-", "@") loses that apostrophe again, so an exported
file re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from mitmachen.core.csv_export import FORMULA_STARTS
from mitmachen.measures import exports as ex
from mitmachen.measures.models import (
    TITLE_MAX_LENGTH,
    FieldOfAction,
    Goal,
    Measure,
    MeasureStatus,
    Priority,
    ProgressMode,
)
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 50
REQUIRED = (ex.FIELD, ex.GOAL, ex.TITLE)
TEXT_LENGTHS = {
    ex.RESPONSIBLE: 200,
    ex.FUNDING: 200,
    ex.DESCRIPTION: 10_000,
    ex.STATUS_REASON: 10_000,
}
# A model field's errors (from ``Measure.clean``) are reported at this column.
COLUMN_OF_FIELD = {
    "title": ex.TITLE,
    "description": ex.DESCRIPTION,
    "responsible": ex.RESPONSIBLE,
    "latitude": ex.LATITUDE,
    "longitude": ex.LONGITUDE,
    "cost": ex.COST,
    "funding_source": ex.FUNDING,
    "priority": ex.PRIORITY,
    "planned_start": ex.PLANNED_START,
    "planned_end": ex.PLANNED_END,
    "actual_start": ex.ACTUAL_START,
    "actual_end": ex.ACTUAL_END,
    "status": ex.STATUS,
    "status_reason": ex.STATUS_REASON,
    "progress_manual": ex.PROGRESS,
    "weight": ex.WEIGHT,
    "project": ex.PROJECT,
    "goal": ex.GOAL,
}
PRIORITIES = {
    "hoch": Priority.HIGH,
    "high": Priority.HIGH,
    "mittel": Priority.MEDIUM,
    "medium": Priority.MEDIUM,
    "niedrig": Priority.LOW,
    "low": Priority.LOW,
}
BOOLEANS = {
    "ja": True,
    "j": True,
    "x": True,
    "1": True,
    "wahr": True,
    "true": True,
    "yes": True,
    "nein": False,
    "n": False,
    "0": False,
    "falsch": False,
    "false": False,
    "no": False,
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")
# A measure's columns an import may change (attribute names).
MEASURE_FIELDS = [
    "goal_id", "title", "description", "responsible", "latitude", "longitude", "cost",
    "funding_source", "priority", "planned_start", "planned_end", "actual_start", "actual_end",
    "status_id", "status_reason", "progress_mode", "progress_manual", "weight", "published",
    "project_id",
]  # fmt: skip


class ImportFileError(Exception):
    """The file as a whole cannot be imported (its message is German, for the page)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Zeile %(line)d, Spalte %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportRow:
    """A checked row: the measure (a changed copy of an existing one, or a new one, not
    saved), the titles of its field and goal, and its Ortsteile when the file has them."""

    line: int
    measure: Measure
    field_title: str
    goal_title: str
    goal_weight: int | None
    districts: list[District] | None
    is_new: bool
    # What the file changes of an existing measure: its columns (attribute names,
    # ``MEASURE_FIELDS``) and whether its Ortsteile; the import writes only these.
    changes: list[str] = field(default_factory=list)
    districts_changed: bool = False
    old_progress: int = 0

    @property
    def is_changed(self) -> bool:
        return self.is_new or bool(self.changes) or self.districts_changed


@dataclass
class Parsed:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # Goals the import creates: (field, goal) as first written, by their keys.
    new_goals: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.is_new)

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if not r.is_new and r.is_changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if not r.is_changed)

    def summary(self, *, rows: int = 20, errors: int = MAX_ERRORS_SHOWN) -> dict[str, Any]:
        """What the preview shows, as plain data (kept with a background check)."""
        return {
            "ok": self.ok,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "new_goals": sorted([f, g] for f, g in self.new_goals.values()),
            "ignored": self.ignored,
            "errors": [str(e) for e in self.errors[:errors]],
            "errors_total": len(self.errors),
            "errors_more": max(0, len(self.errors) - errors),
            "rows": [
                {
                    "line": r.line,
                    "id": None if r.is_new else r.measure.pk,
                    "field": r.field_title,
                    "goal": r.goal_title,
                    "title": r.measure.title,
                    "status": str(r.measure.status.label),
                    "progress": None
                    if r.measure.progress_mode == ProgressMode.MILESTONES
                    else r.measure.progress_manual,
                }
                for r in self.rows[:rows]
            ],
        }


# --- Reading the file -----------------------------------------------------------------------


def _too_big() -> ImportFileError:
    return ImportFileError(
        _("Die Datei ist zu groß (höchstens %(mb)d MB). Bitte teilen Sie sie auf.")
        % {"mb": MAX_BYTES // (1024 * 1024)}
    )


def _too_many() -> ImportFileError:
    return ImportFileError(
        _("Die Datei hat mehr als %(n)s Zeilen. Bitte teilen Sie sie auf.")
        % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without byte-order mark), else Windows-1252 or Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _csv_table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, list(cells)


def _xlsx_table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("Die Excel-Datei lässt sich nicht lesen. Bitte als XLSX oder CSV speichern.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The file's rows with their line numbers as a spreadsheet shows them (1: heading)."""
    if len(data) > MAX_BYTES:
        raise _too_big()
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Die Datei ist weder eine XLSX- noch eine CSV-Datei."))
    return _csv_table(data)


# --- Reading cells --------------------------------------------------------------------------


class CellError(Exception):
    pass


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def text_of(value: Any) -> str:
    """A cell as text, trimmed, without the apostrophe the export put before a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _integer(value: Any, low: int, high: int, message: str) -> int:
    text = text_of(value).rstrip("%").strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(message % {"value": text})
    number = int(text)
    if not low <= number <= high:
        raise CellError(message % {"value": text})
    return number


def _decimal_text(text: str) -> str:
    text = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in text:  # German: 12.500,50
        text = text.replace(".", "").replace(",", ".")
    return text


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(
        _("„%(value)s“ ist kein Datum (z. B. 31.12.2025 oder 2025-12-31).") % {"value": text}
    )


def _float(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = _decimal_text(text_of(value))
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise CellError(_("„%(value)s“ ist keine Zahl.") % {"value": text}) from None
    if not low <= number <= high:
        raise CellError(
            _("%(value)s liegt nicht zwischen %(low)s und %(high)s.")
            % {"value": number, "low": low, "high": high}
        )
    return number


def _cost(value: Any) -> Decimal | None:
    text = _decimal_text(text_of(value))
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(_("„%(value)s“ ist kein Betrag in Euro.") % {"value": text}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise CellError(
            _("„%(value)s“ ist kein Betrag zwischen 0 und 999.999.999.999,99 Euro.")
            % {"value": text}
        )
    return amount.quantize(Decimal("0.01"))


# --- Checking the rows ----------------------------------------------------------------------


class _Lookups:
    """What rows are matched against, each loaded in one query."""

    def __init__(self, organisation: Any, ids: set[int]) -> None:
        from mitmachen.measures.services import default_status, statuses_for

        self.fields = {
            _key(f.title): f for f in FieldOfAction.objects.filter(organisation=organisation)
        }
        self.goals = {
            (_key(g.field.title), _key(g.title)): g
            for g in Goal.objects.filter(field__organisation=organisation).select_related("field")
        }
        # A new measure without a status is "geplant" (as in ``services.measure_save``).
        self.planned = default_status()
        self.statuses: dict[str, MeasureStatus] = {}
        # The municipality's own names first, then the defaults (NULL last on every database).
        own_first = F("organisation_id").desc(nulls_last=True)
        for status in statuses_for(organisation.pk).order_by(own_first, "order"):
            for name in (status.name, str(status.label), status.kind):
                self.statuses.setdefault(_key(name), status)
        self.districts: dict[str, District] = {}
        for district in District.objects.filter(organisation=organisation):
            self.districts.setdefault(_key(district.name), district)
            self.districts.setdefault(_key(district.slug), district)
        self.projects: dict[str, Project] = {}
        for project in Project.objects.filter(organisation=organisation):
            self.projects.setdefault(_key(project.title), project)
            self.projects.setdefault(_key(project.slug), project)
        self.measures = {
            m.pk: m
            for m in Measure.objects.filter(organisation=organisation, pk__in=ids).select_related(
                "status", "goal__field", "project"
            )
        }
        # Their values before the file changes them, to write only what changed.
        self.original = {
            pk: {name: getattr(m, name) for name in [*MEASURE_FIELDS, "progress"]}
            for pk, m in self.measures.items()
        }
        self.original_districts: dict[int, set[int]] = {pk: set() for pk in self.measures}
        for measure_id, district_id in Measure.districts.through.objects.filter(
            measure_id__in=list(self.measures)
        ).values_list("measure_id", "district_id"):
            self.original_districts[measure_id].add(district_id)


def _header(cells: list[Any]) -> tuple[dict[str, int], list[str]]:
    # The export's read-only columns are named with the unknown ones as not read.
    known = {_key(c): c for c in ex.COLUMNS if c not in ex.READ_ONLY}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        name = text_of(cell)
        if not name:
            continue
        column = known.get(_key(name))
        if column is None or column in positions:
            ignored.append(name)
        else:
            positions[column] = index
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise ImportFileError(
            _(
                "Der Datei fehlen die Spalten %(missing)s. Die erste Zeile muss die "
                "Überschriften enthalten – am einfachsten laden Sie den Katalog als Excel "
                "herunter und tragen dort ein."
            )
            % {"missing": ", ".join(f"„{c}“" for c in missing)}
        )
    return positions, ignored


def parse(
    *,
    organisation: Any,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Check every row of the file against the municipality's catalogue (no writes).
    ``progress(done, total)`` is called every 500 rows (the background import's display)."""
    rows_iter = table(data)
    try:
        _number, heading = next(rows_iter)
    except StopIteration:
        raise ImportFileError(_("Die Datei ist leer.")) from None
    positions, ignored = _header(heading)
    raw: list[tuple[int, dict[str, Any]]] = []
    for number, cells in rows_iter:
        if number > 2 * MAX_ROWS + 1:  # blank rows count too, beyond as many again
            raise _too_many()
        if not any(text_of(c) for c in cells):
            continue  # blank lines between blocks
        if len(raw) >= MAX_ROWS:
            raise _too_many()
        raw.append(
            (number, {c: cells[i] if i < len(cells) else None for c, i in positions.items()})
        )
    if not raw:
        raise ImportFileError(_("Die Datei enthält keine Maßnahmen (nur die Überschriften)."))
    ids: set[int] = set()
    for _number, row_cells in raw:
        text = text_of(row_cells.get(ex.ID))
        if text.isdigit():
            ids.add(int(text))
    lookups = _Lookups(organisation, ids)
    result = Parsed(ignored=ignored)
    seen_ids: dict[int, int] = {}
    goal_weights: dict[tuple[str, str], tuple[int, int]] = {}
    for done, (number, row_cells) in enumerate(raw, start=1):
        row = _row(number, row_cells, organisation, lookups, result, seen_ids, goal_weights)
        if row is not None:
            result.rows.append(row)
        if progress is not None and done % 500 == 0:
            progress(done, len(raw))
    if progress is not None:
        progress(len(raw), len(raw))
    return result


def _row(
    number: int,
    cells: dict[str, Any],
    organisation: Any,
    lookups: _Lookups,
    result: Parsed,
    seen_ids: dict[int, int],
    goal_weights: dict[tuple[str, str], tuple[int, int]],
) -> ImportRow | None:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    # Which measure: the ID column, else a new one.
    measure: Measure
    id_text = text_of(cells.get(ex.ID))
    is_new = not id_text
    if id_text:
        found = lookups.measures.get(int(id_text)) if id_text.isdigit() else None
        if found is None:
            fail(
                ex.ID, _("Eine Maßnahme %(id)s gibt es in dieser Kommune nicht.") % {"id": id_text}
            )
            measure = Measure(organisation=organisation)
        elif found.pk in seen_ids:
            fail(
                ex.ID,
                _("Die Maßnahme %(id)s steht schon in Zeile %(line)d.")
                % {"id": id_text, "line": seen_ids[found.pk]},
            )
            measure = found
        else:
            seen_ids[found.pk] = number
            measure = found
    else:
        measure = Measure(organisation=organisation)

    # Field of action and goal, by title (new ones are created by the import).
    field_title, goal_title = text_of(cells.get(ex.FIELD)), text_of(cells.get(ex.GOAL))
    for column, value in ((ex.FIELD, field_title), (ex.GOAL, goal_title)):
        if not value:
            fail(column, _("Bitte geben Sie einen Titel an."))
        elif len(value) > TITLE_MAX_LENGTH:
            fail(column, _("Der Titel ist zu lang (höchstens 200 Zeichen)."))
    goal_key = (_key(field_title), _key(goal_title))
    goal = lookups.goals.get(goal_key)
    if field_title and goal_title and goal is None:
        result.new_goals.setdefault(goal_key, (field_title, goal_title))
    goal_weight: int | None = None
    if ex.GOAL_WEIGHT in cells and text_of(cells[ex.GOAL_WEIGHT]):
        try:
            goal_weight = _integer(
                cells[ex.GOAL_WEIGHT],
                1,
                32767,
                _("„%(value)s“ ist kein Gewicht (eine ganze Zahl ab 1)."),
            )
        except CellError as error:
            fail(ex.GOAL_WEIGHT, str(error))
        else:
            earlier = goal_weights.setdefault(goal_key, (goal_weight, number))
            if earlier[0] != goal_weight:
                fail(
                    ex.GOAL_WEIGHT,
                    _("Das Ziel hat in Zeile %(line)d das Gewicht %(weight)d.")
                    % {"line": earlier[1], "weight": earlier[0]},
                )
    if goal is not None:
        measure.goal = goal
    else:
        # A goal created by the import: the measure is linked to it when stored
        # (django-stubs types a foreign key's id as never empty).
        measure.goal_id = None  # type: ignore[assignment]

    # The measure's own columns.
    title = text_of(cells.get(ex.TITLE))
    if not title:
        fail(ex.TITLE, _("Bitte geben Sie einen Titel an."))
    elif len(title) > TITLE_MAX_LENGTH:
        fail(ex.TITLE, _("Der Titel ist zu lang (höchstens 200 Zeichen)."))
    measure.title = title
    for column, attribute in (
        (ex.DESCRIPTION, "description"),
        (ex.RESPONSIBLE, "responsible"),
        (ex.FUNDING, "funding_source"),
        (ex.STATUS_REASON, "status_reason"),
    ):
        if column in cells:
            value = text_of(cells[column])
            if len(value) > TEXT_LENGTHS[column]:
                fail(
                    column,
                    _("Der Text ist zu lang (höchstens %(n)d Zeichen).")
                    % {"n": TEXT_LENGTHS[column]},
                )
            setattr(measure, attribute, value)

    def cell(column: str, read: Callable[[Any], Any], attribute: str) -> None:
        if column not in cells:
            return
        try:
            setattr(measure, attribute, read(cells[column]))
        except CellError as error:
            fail(column, str(error))

    cell(ex.LATITUDE, lambda v: _float(v, -90, 90), "latitude")
    cell(ex.LONGITUDE, lambda v: _float(v, -180, 180), "longitude")
    cell(ex.COST, _cost, "cost")
    for column, attribute in (
        (ex.PLANNED_START, "planned_start"),
        (ex.PLANNED_END, "planned_end"),
        (ex.ACTUAL_START, "actual_start"),
        (ex.ACTUAL_END, "actual_end"),
    ):
        cell(column, _date, attribute)

    def priority(value: Any) -> str:
        text = text_of(value)
        if not text:
            return Priority.MEDIUM
        if _key(text) not in PRIORITIES:
            raise CellError(
                _("„%(value)s“ ist keine Priorität (hoch, mittel oder niedrig).") % {"value": text}
            )
        return PRIORITIES[_key(text)]

    cell(ex.PRIORITY, priority, "priority")

    def status(value: Any) -> MeasureStatus:
        text = text_of(value)
        if not text:
            return lookups.planned
        if _key(text) not in lookups.statuses:
            raise CellError(_("„%(value)s“ ist kein bekannter Status.") % {"value": text})
        return lookups.statuses[_key(text)]

    if is_new and ex.STATUS not in cells:
        measure.status = lookups.planned
    cell(ex.STATUS, status, "status")

    def project(value: Any) -> Project | None:
        text = text_of(value)
        if not text:
            return None
        if _key(text) not in lookups.projects:
            raise CellError(
                _("„%(value)s“ ist kein Beteiligungsprozess dieser Kommune.") % {"value": text}
            )
        return lookups.projects[_key(text)]

    cell(ex.PROJECT, project, "project")

    if ex.PROGRESS in cells:
        text = text_of(cells[ex.PROGRESS])
        if _key(text) == _key(ex.FROM_MILESTONES):
            measure.progress_mode = ProgressMode.MILESTONES
        elif not text:
            measure.progress_mode, measure.progress_manual = ProgressMode.MANUAL, 0
        else:
            try:
                measure.progress_manual = _integer(
                    text,
                    0,
                    100,
                    _("„%(value)s“ ist kein Fortschritt (0 bis 100 oder „Meilensteine“)."),
                )
                measure.progress_mode = ProgressMode.MANUAL
            except CellError as error:
                fail(ex.PROGRESS, str(error))

    def weight(value: Any) -> int:
        text = text_of(value)
        return (
            1
            if not text
            else _integer(text, 1, 32767, _("„%(value)s“ ist kein Gewicht (eine ganze Zahl ab 1)."))
        )

    cell(ex.WEIGHT, weight, "weight")

    def published(value: Any) -> bool:
        text = _key(text_of(value))
        if not text:
            return False
        if text not in BOOLEANS:
            raise CellError(_("„%(value)s“: bitte „ja“ oder „nein“.") % {"value": text_of(value)})
        return BOOLEANS[text]

    cell(ex.PUBLISHED, published, "published")

    districts: list[District] | None = None
    if ex.DISTRICTS in cells:
        districts = []
        for name in re.split(r"[,;]", text_of(cells[ex.DISTRICTS])):
            if not name.strip():
                continue
            district = lookups.districts.get(_key(name))
            if district is None:
                fail(
                    ex.DISTRICTS,
                    _("„%(value)s“ ist kein Ortsteil dieser Kommune.") % {"value": name.strip()},
                )
            elif district not in districts:
                districts.append(district)

    # The model's own rules (a reason for "verworfen", dates in order, a whole point).
    if not errors:
        try:
            measure.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    fail(COLUMN_OF_FIELD.get(name, ex.TITLE), message)
    result.errors.extend(errors)
    if errors:
        return None
    row = ImportRow(number, measure, field_title, goal_title, goal_weight, districts, is_new)
    if not is_new:
        before = lookups.original[measure.pk]
        row.changes = [name for name in MEASURE_FIELDS if getattr(measure, name) != before[name]]
        row.old_progress = before["progress"]
        row.districts_changed = (
            districts is not None
            and {d.pk for d in districts} != (lookups.original_districts[measure.pk])
        )
    return row
