"""Reading data files into values: CSV with a column mapping, and the German Weather
Service's daily station files (``produkt_klima_tag_*.txt``).

Pure functions without the database: they turn bytes into ``ParsedRow``s and German
per-row errors. ``services.values_import`` stores the rows (all or nothing).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from mitmachen.climate.models import Resolution
from mitmachen.organisations.geo import GeometryError, parse_area

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 50
# A cell that a spreadsheet would run as a formula (CSV injection).
FORMULA_START = ("=", "+", "@", "\t", "\r")
DWD_MISSING = -999.0
# The largest value (in magnitude) a file may bring: a million million million would
# already be absurd for any indicator, and sums of values stay far from overflowing.
MAX_VALUE = 1e15
# Times without a zone in a file are local times of the region.
BERLIN = ZoneInfo("Europe/Berlin")
# Parameters of the DWD daily climate file (produkt_klima_tag) staff can import.
DWD_PARAMETERS = {
    "TMK": "Tagesmittel der Lufttemperatur in 2 m Höhe (°C)",
    "TXK": "Tagesmaximum der Lufttemperatur in 2 m Höhe (°C)",
    "TNK": "Tagesminimum der Lufttemperatur in 2 m Höhe (°C)",
    "RSK": "Tägliche Niederschlagshöhe (mm)",
    "SDK": "Tägliche Sonnenscheindauer (h)",
    "FM": "Tagesmittel der Windgeschwindigkeit (m/s)",
}


# A cell as read: text (CSV, spreadsheet, GeoJSON), a number or a date (spreadsheet).
Cell = str | float | int | date | time | None


class ImportFileError(Exception):
    """The file as a whole cannot be read (its message is German, for the page)."""


@dataclass(frozen=True)
class ParsedRow:
    line: int
    date: date
    value: float
    district: str = ""  # as written in the file; matched to an Ortsteil by the service
    category: str = ""
    note: str = ""
    # GeoJSON: the point or area the value belongs to; the service finds its Ortsteil.
    place: BaseGeometry | None = None
    # Hourly values: the instant the hour begins (aware, UTC); ``date`` is its day in
    # Europe/Berlin.
    at: datetime | None = None

    @property
    def hour(self) -> str:
        return format_hour(self.at) if self.at else ""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class Parsed:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    missing: int = 0  # rows without a value (DWD: -999), skipped on purpose
    columns: list[str] = field(default_factory=list)
    by_feature: bool = False  # GeoJSON: ``line`` counts the features, not lines


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 (Windows exports, DWD files)."""
    _check_size(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Die Datei ist keine Textdatei. Für eine Excel-Datei wählen Sie bitte das "
                "Format „Excel (.xlsx)“."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?([eE][+-]?\d+)?$")


def parse_number(text: str, decimal_comma: bool = True) -> float:
    """A number with a decimal comma (1.234,5 · 1234,5 · -3) or, when ``decimal_comma``
    is False, a decimal point (1234.5). A file uses one or the other: ``parse_csv``
    decides by its value column (any comma: decimal commas), so 1.234 is never guessed."""
    shown = text.strip()
    cleaned = shown.replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValueError(_("Der Wert fehlt."))
    if cleaned.startswith(("=", "@")):
        raise ValueError(_("„%(text)s“ ist eine Formel, keine Zahl.") % {"text": shown})
    if decimal_comma:
        if "." in cleaned:
            if not _GROUPED.match(cleaned):
                raise ValueError(
                    _("„%(text)s“: Die Datei nutzt Dezimalkommas, hier steht ein Punkt.")
                    % {"text": shown}
                )
            cleaned = cleaned.replace(".", "")
        if cleaned.count(",") > 1:
            raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": shown})
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": shown})
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": shown}) from None
    if not math.isfinite(number):
        raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": shown})
    return number


def format_number(value: float) -> str:
    """A value for our CSV download, exactly as stored, with a decimal comma."""
    return repr(value).replace(".", ",")


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)


def parse_date(text: str, resolution: str) -> date:
    """A date (2024-03-01, 01.03.2024, 20240301), a month (2024-03, 03.2024) or a year
    (2024), as the first day of the indicator's period."""
    cleaned = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            break
    else:
        raise ValueError(
            _("„%(text)s“ ist kein Datum (z. B. 31.12.2024, 2024-12-31, 12.2024 oder 2024).")
            % {"text": cleaned}
        )
    if resolution in (Resolution.DAY, Resolution.HOUR) and "d" not in parts:
        raise ValueError(
            _("„%(text)s“: Für Tageswerte bitte ein vollständiges Datum angeben.")
            % {"text": cleaned}
        )
    if resolution == Resolution.MONTH and "m" not in parts:
        raise ValueError(
            _("„%(text)s“: Für Monatswerte bitte den Monat angeben.") % {"text": cleaned}
        )
    try:
        day = date(parts["y"], parts.get("m", 1), parts.get("d", 1))
    except ValueError:
        raise ValueError(_("„%(text)s“ ist kein gültiges Datum.") % {"text": cleaned}) from None
    if resolution == Resolution.MONTH:
        return day.replace(day=1)
    if resolution == Resolution.YEAR:
        return date(day.year, 1, 1)
    return day


_CLOCK = re.compile(
    r"^(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*"
    r"(?P<zone>Z|UTC|[+-]\d{2}:?\d{2})?$"
)


def parse_instant(day_text: str, clock_text: str = "") -> datetime:
    """The beginning of an hour: a date and a time in one cell ("2025-10-26 02:00",
    "26.10.2025 02:00", "2025-10-26T02:00:00+02:00") or in two (``clock_text``), as an
    aware datetime in UTC. A time without a zone is a local time in Europe/Berlin;
    one that does not exist (the hour skipped in spring) or exists twice (the hour
    repeated in autumn) is refused, because guessing would shift or double a value."""
    text = day_text.strip()
    if clock_text.strip():
        text = f"{text} {clock_text.strip()}"
    day_part, _sep, clock = text.replace("T", " ", 1).partition(" ")
    match = _CLOCK.match(clock.strip())
    if not match:
        raise ValueError(
            _(
                "„%(text)s“: Für Stundenwerte bitte Datum und Uhrzeit angeben, z. B. "
                "31.12.2024 13:00 oder 2024-12-31T13:00+01:00."
            )
            % {"text": text}
        )
    day = parse_date(day_part, Resolution.DAY)
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("„%(text)s“ ist keine gültige Uhrzeit.") % {"text": text})
    if minute or second:
        raise ValueError(
            _("„%(text)s“: Stundenwerte beginnen zur vollen Stunde (z. B. 13:00).") % {"text": text}
        )
    wall = datetime.combine(day, time(hour))
    zone = match["zone"]
    if zone:
        if zone in ("Z", "UTC"):
            return wall.replace(tzinfo=UTC)
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 14 or minutes > 59:
            raise ValueError(_("„%(text)s“: unbekannte Zeitzone.") % {"text": text})
        offset = sign * (hours * 60 + minutes)
        at = wall.replace(tzinfo=UTC) - timedelta(minutes=offset)
        if at.astimezone(BERLIN).minute:
            raise ValueError(
                _("„%(text)s“: Stundenwerte beginnen zur vollen Stunde (z. B. 13:00).")
                % {"text": text}
            )
        return at
    early, late = wall.replace(tzinfo=BERLIN, fold=0), wall.replace(tzinfo=BERLIN, fold=1)
    if early.utcoffset() != late.utcoffset():
        shown = {"clock": f"{hour:02d}:00", "day": f"{day:%d.%m.%Y}"}
        if early.astimezone(UTC).astimezone(BERLIN).replace(tzinfo=None) != wall:
            raise ValueError(
                _(
                    "Die Uhrzeit %(clock)s am %(day)s gibt es in Deutschland nicht (Beginn "
                    "der Sommerzeit: auf 01:59 folgt 03:00)."
                )
                % shown
            )
        raise ValueError(
            _(
                "Die Uhrzeit %(clock)s gibt es am %(day)s zweimal (Ende der Sommerzeit). "
                "Bitte die Zeitzone angeben: %(clock)s+02:00 (Sommerzeit) oder "
                "%(clock)s+01:00 (Winterzeit)."
            )
            % shown
        )
    return early.astimezone(UTC)


def format_instant(at: datetime) -> str:
    """An hour's beginning for our downloads: local time with its offset, ISO 8601
    ("2025-10-26T02:00:00+02:00"), unambiguous and read back by ``parse_instant``."""
    return at.astimezone(BERLIN).isoformat()


def format_hour(at: datetime) -> str:
    """An hour's beginning for the pages: "26.10.2025, 02:00 MESZ" – the zone named,
    because the last Sunday of October has 02:00 twice (MESZ, then MEZ)."""
    local = at.astimezone(BERLIN)
    zone = "MESZ" if local.dst() else "MEZ"
    return f"{local:%d.%m.%Y, %H:%M} {zone}"


def _text_cell(cell: Cell, what: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, int | float):
        return format_number(float(cell)).removesuffix(",0")
    cleaned = cell.strip()
    if cleaned.startswith(FORMULA_START):
        raise ValueError(
            _("%(what)s „%(text)s“ beginnt wie eine Formel; bitte ohne =, + oder @ am Anfang.")
            % {"what": what, "text": cleaned}
        )
    return cleaned


def sniff_delimiter(first_line: str) -> str:
    """Semicolon (German spreadsheets, decimal commas), tab, else comma."""
    for delimiter in (";", "\t"):
        if delimiter in first_line:
            return delimiter
    return ","


def read_header(text: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    return [c.strip() for c in next(csv.reader([first], delimiter=sniff_delimiter(first)))]


@dataclass(frozen=True)
class Mapping:
    """Which column of the file holds what (column names as in the header)."""

    date: str
    value: str
    district: str = ""
    category: str = ""
    note: str = ""
    time: str = ""  # hourly values: the time, if not in the date column


def parse_csv(text: str, mapping: Mapping, resolution: str) -> Parsed:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("Die Datei ist leer."))
    delimiter = sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [c.strip() for c in next(reader)]
    return parse_table(header, enumerate(reader, start=2), mapping, resolution)


def parse_table(
    header: list[str],
    numbered: Iterable[tuple[int, Sequence[Cell]]],
    mapping: Mapping,
    resolution: str,
    doubles: bool = True,
) -> Parsed:
    """Rows of cells (text from a CSV file; text, numbers and dates from a spreadsheet)
    under ``header``, read with the column ``mapping``. ``doubles``: refuse a second
    value for the same period, Ortsteil and category (GeoJSON checks this once its
    places have their Ortsteil)."""
    result = Parsed(columns=header)
    wanted = {"date": mapping.date, "value": mapping.value}
    wanted.update(
        {
            k: v
            for k, v in (
                ("district", mapping.district),
                ("category", mapping.category),
                ("note", mapping.note),
                ("time", mapping.time),
            )
            if v
        }
    )
    hourly = resolution == Resolution.HOUR
    if mapping.time and not hourly:
        raise ImportFileError(
            _(
                "Eine Spalte mit der Uhrzeit passt nur zu einem Indikator mit Stundenwerten; "
                "bitte lassen Sie das Feld leer."
            )
        )
    missing = [name for name in wanted.values() if name not in header]
    if missing:
        raise ImportFileError(
            _("Die Spalte(n) %(names)s gibt es in der Datei nicht. Die Kopfzeile hat: %(header)s.")
            % {"names": ", ".join(f"„{n}“" for n in missing), "header": ", ".join(header)}
        )
    index = {key: header.index(name) for key, name in wanted.items()}
    seen: dict[tuple[date | datetime, str, str], int] = {}
    lines_of_cells = [
        (n, list(cells)) for n, cells in numbered if any(not _blank(c) for c in cells)
    ]
    values = [cells[index["value"]] for _n, cells in lines_of_cells if len(cells) > index["value"]]
    decimal_comma = any(isinstance(v, str) and "," in v for v in values)
    for number, cells in lines_of_cells:
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        try:
            at = (
                _instant_cell(cells[index["date"]], cells[index["time"]] if mapping.time else None)
                if hourly
                else None
            )
            day = (
                at.astimezone(BERLIN).date() if at else _date_cell(cells[index["date"]], resolution)
            )
            value = _number_cell(cells[index["value"]], decimal_comma)
            district = (
                _text_cell(cells[index["district"]], _("Ortsteil")) if "district" in index else ""
            )
            category = (
                _text_cell(cells[index["category"]], _("Kategorie")) if "category" in index else ""
            )
            note = _text_cell(cells[index["note"]], _("Hinweis")) if "note" in index else ""
        except ValueError as error:
            result.errors.append(RowError(number, str(error)))
            continue
        if len(category) > 60 or len(note) > 120:
            result.errors.append(
                RowError(number, _("Kategorie (60) oder Hinweis (120 Zeichen) ist zu lang."))
            )
            continue
        key = (at or day, district.casefold(), category)
        if doubles and key in seen:
            result.errors.append(
                RowError(
                    number,
                    _("Doppelt: Zeile %(other)d hat schon einen Wert für diesen Zeitraum.")
                    % {"other": seen[key]},
                )
            )
            continue
        seen[key] = number
        result.rows.append(ParsedRow(number, day, value, district, category, note, at=at))
    return result


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _date_cell(cell: Cell, resolution: str) -> date:
    """A spreadsheet's date cell as it is (cut to the period), else text as in a CSV."""
    if isinstance(cell, date):
        day = cell.date() if isinstance(cell, datetime) else cell
        return parse_date(day.isoformat(), resolution)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if float(cell).is_integer():  # a year typed as a number: 2024
            return parse_date(str(int(cell)), resolution)
        raise ValueError(_("„%(text)s“ ist kein Datum.") % {"text": cell})
    if not isinstance(cell, str):
        raise ValueError(_("„%(text)s“ ist kein Datum.") % {"text": cell})
    return parse_date(cell, resolution)


def _instant_cell(cell: Cell, clock: Cell) -> datetime:
    """An hourly value's beginning from a date(time) cell and an optional time cell: a
    spreadsheet's datetime or time cell as it is (local time), else text."""
    if isinstance(cell, datetime):
        day_text = cell.date().isoformat()
        if _blank(clock):
            clock = cell.time()
    elif isinstance(cell, date):
        day_text = cell.isoformat()
    elif isinstance(cell, str):
        day_text = cell
    else:
        raise ValueError(_("„%(text)s“ ist kein Datum.") % {"text": cell})
    if isinstance(clock, datetime):
        clock_text = clock.time().isoformat()
    elif isinstance(clock, time):
        clock_text = clock.isoformat()
    elif clock is None or isinstance(clock, str):
        clock_text = clock or ""
    else:
        raise ValueError(_("„%(text)s“ ist keine Uhrzeit.") % {"text": clock})
    return parse_instant(day_text, clock_text)


def _number_cell(cell: Cell, decimal_comma: bool) -> float:
    if isinstance(cell, bool | date | time):
        raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": cell})
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": cell})
        return _in_range(float(cell), str(cell))
    return _in_range(parse_number(cell or "", decimal_comma), str(cell))


def _in_range(number: float, shown: str) -> float:
    """No measured or counted value is this large; sums of such values would overflow
    the database's month summaries (PostgreSQL refuses them)."""
    if abs(number) > MAX_VALUE:
        raise ValueError(
            _("„%(text)s“ ist zu groß für einen Wert (höchstens 10¹⁵).") % {"text": shown.strip()}
        )
    return number


# An .xlsx file is a zip archive; its unpacked parts may be at most this big (a small
# file that unpacks to gigabytes would otherwise fill the memory).
MAX_XLSX_UNPACKED = 200 * 1024 * 1024


def _check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _(
                "Die Datei ist zu groß (höchstens %(mb)d MB). Bitte teilen Sie sie in "
                "mehrere Dateien, z. B. eine pro Jahr."
            )
            % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
        )


def parse_xlsx(data: bytes, mapping: Mapping, resolution: str) -> Parsed:
    """The first sheet of an Excel file (.xlsx): the first row names the columns. Date
    and number cells are taken as they are, text cells are read as in a CSV file, and
    formula cells are refused (they are stored as text starting with =)."""
    from openpyxl import load_workbook

    _check_size(data)
    not_excel = _(
        "Die Datei ist keine Excel-Datei im Format .xlsx. Ältere .xls-Dateien bitte in "
        "Excel oder LibreOffice als .xlsx oder als CSV speichern."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(not_excel) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFileError(
            _("Die Excel-Datei ist entpackt zu groß. Bitte teilen Sie sie, z. B. nach Jahren.")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken archive
        raise ImportFileError(not_excel) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        rows = (
            [_spreadsheet_cell(c) for c in row]
            for row in (sheet.iter_rows(values_only=True) if sheet is not None else ())
        )
        first = next(rows, None)
        if not first or all(_blank(c) for c in first):
            raise ImportFileError(_("Die erste Tabelle der Datei ist leer."))
        header = ["" if c is None else str(c).strip() for c in first]
        return parse_table(header, enumerate(rows, start=2), mapping, resolution)
    finally:
        workbook.close()


def _spreadsheet_cell(cell: object) -> Cell:
    """Numbers, dates, times and text as they are; anything else (rich text) as text."""
    if cell is None or isinstance(cell, str | int | float | date | time):
        return cell
    if isinstance(cell, Decimal):
        return float(cell)
    return str(cell)


def parse_geojson(text: str, mapping: Mapping, resolution: str) -> Parsed:
    """A GeoJSON FeatureCollection (WGS84): each feature is one value, read from its
    ``properties`` with the column ``mapping`` (property names), at a point (its Ortsteil
    is the one it lies in) or for an area (an Ortsteil named by the mapped property,
    else the one the area lies in). Points and areas are checked here; the service
    matches them to the municipality's Ortsteile."""
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("Die Datei ist kein gültiges JSON (Zeile %(line)d, Spalte %(col)d: %(msg)s).")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError(
            _("Die Datei ist keine GeoJSON-FeatureCollection („type“: „FeatureCollection“).")
        )
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ImportFileError(_("Die FeatureCollection enthält keine Features."))
    names = [
        mapping.date,
        mapping.value,
        mapping.district,
        mapping.category,
        mapping.note,
        mapping.time,
    ]
    header = [n for n in names if n]
    cells: list[tuple[int, list[Cell]]] = []
    places: dict[int, BaseGeometry] = {}
    errors: list[RowError] = []
    for number, feature in enumerate(features, start=1):
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError(_("Das ist kein GeoJSON-Feature."))
            properties = feature.get("properties")
            if not isinstance(properties, dict):
                raise ValueError(_("Das Feature hat keine Eigenschaften („properties“)."))
            places[number] = _place(feature.get("geometry"))
            row = [_property(properties.get(name)) for name in header]
            if all(_blank(c) for c in row):
                raise ValueError(
                    _("Das Feature hat keine der Eigenschaften %(names)s.")
                    % {"names": ", ".join(f"„{n}“" for n in header)}
                )
        except ValueError as error:
            errors.append(RowError(number, str(error)))
            continue
        cells.append((number, row))
    parsed = parse_table(header, cells, mapping, resolution, doubles=False)
    parsed.by_feature = True
    parsed.rows = [replace(r, place=places[r.line]) for r in parsed.rows]
    parsed.errors = sorted(errors + parsed.errors, key=lambda e: e.line)
    return parsed


def _property(value: object) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return json.dumps(value, ensure_ascii=False)  # refused by the cell's reader


def _place(geometry: object) -> BaseGeometry:
    """A Point, or a Polygon/MultiPolygon valid as an area; a German ``ValueError`` else."""
    if not isinstance(geometry, dict):
        raise ValueError(_("Das Feature hat keine Geometrie."))
    if geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if (
            not isinstance(coordinates, list)
            or len(coordinates) not in (2, 3)
            or not all(
                isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                for c in coordinates
            )
        ):
            raise ValueError(_("Der Punkt braucht Koordinaten [Länge, Breite]."))
        lon, lat = float(coordinates[0]), float(coordinates[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(
                _("Die Koordinaten liegen außerhalb von WGS84 (Länge −180…180, Breite −90…90).")
            )
        return Point(lon, lat)
    if geometry.get("type") in ("Polygon", "MultiPolygon"):
        try:
            return parse_area(geometry)
        except GeometryError as error:
            raise ValueError(str(error)) from None
    raise ValueError(
        _(
            "Die Geometrie „%(type)s“ wird nicht unterstützt: bitte Point, Polygon "
            "oder MultiPolygon."
        )
        % {"type": str(geometry.get("type"))[:40]}
    )


def parse_dwd_daily(text: str, parameter: str) -> Parsed:
    """A DWD daily climate file (``produkt_klima_tag_*.txt``): semicolon-separated, a
    header starting with STATIONS_ID;MESS_DATUM, dates as YYYYMMDD, -999 for missing."""
    if parameter not in DWD_PARAMETERS:
        raise ImportFileError(_("Unbekannte Messgröße „%(p)s“.") % {"p": parameter})
    lines = text.splitlines()
    header = [c.strip() for c in lines[0].split(";")] if lines else []
    if header[:2] != ["STATIONS_ID", "MESS_DATUM"]:
        raise ImportFileError(
            _(
                "Das ist keine Tageswerte-Datei des Deutschen Wetterdienstes: Die erste Zeile "
                "muss mit „STATIONS_ID;MESS_DATUM“ beginnen (Datei produkt_klima_tag_….txt)."
            )
        )
    if parameter not in header:
        raise ImportFileError(
            _("Die Datei hat keine Spalte „%(p)s“. Die Kopfzeile hat: %(header)s.")
            % {"p": parameter, "header": ", ".join(h for h in header if h)}
        )
    column = header.index(parameter)
    result = Parsed(columns=header)
    seen: set[date] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(";")]
        try:
            if len(cells) <= column:
                raise ValueError(_("Die Zeile hat zu wenige Spalten."))
            day = parse_date(cells[1], Resolution.DAY)
            value = _in_range(float(cells[column]), cells[column])
        except ValueError as error:
            message = (
                str(error)
                if str(error).startswith(("„", "Die"))
                else _("„%(text)s“ ist keine Zahl.") % {"text": cells[column]}
            )
            result.errors.append(RowError(number, message))
            continue
        if value == DWD_MISSING:
            result.missing += 1
            continue
        if day in seen:
            result.errors.append(
                RowError(number, _("Doppelt: dieser Tag steht schon in der Datei."))
            )
            continue
        seen.add(day)
        result.rows.append(ParsedRow(number, day, value))
    return result


def write_dwd_daily(station: int, days: Iterable[tuple[date, dict[str, float | None]]]) -> str:
    """A file in the DWD daily format (for the demo and tests): ``None`` becomes -999."""
    columns = [
        "QN_3",
        "FX",
        "FM",
        "QN_4",
        "RSK",
        "RSKF",
        "SDK",
        "SHK_TAG",
        "NM",
        "VPM",
        "PM",
        "TMK",
        "UPM",
        "TXK",
        "TNK",
        "TGK",
    ]
    lines = ["STATIONS_ID;MESS_DATUM;" + ";".join(f"{c:>4}" for c in columns) + ";eor"]
    for day, values in days:
        cells = []
        for name in columns:
            v = values.get(name)
            if name.startswith("QN_"):
                cells.append("   10")
            else:
                cells.append(f"{DWD_MISSING if v is None else v:>7.1f}")
        lines.append(f"{station:>11};{day:%Y%m%d};" + ";".join(cells) + ";eor")
    return "\n".join(lines) + "\n"
