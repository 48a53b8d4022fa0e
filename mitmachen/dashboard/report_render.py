"""The council report's two files, made from ``report_build.ReportData``: a tagged PDF
for print (WeasyPrint, as the drafts' Abwägungstabelle: our own HTML, system fonts, no
fetch from anywhere) and an XLSX file with one sheet per section (openpyxl)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from mitmachen.core.csv_export import xlsx_cell
from mitmachen.dashboard.report_build import Figure, ReportData
from mitmachen.projects.report import ReportTable


def _refuse(url: str) -> Any:
    """The PDF is made from our own HTML only: nothing is fetched, from any host."""
    raise ValueError(f"The council report fetches nothing ({url}).")


def _fetcher() -> Any:
    """WeasyPrint's fetcher, refusing every address (WeasyPrint 70 wants an ``URLFetcher``:
    a plain function breaks as soon as the HTML names an address). A refused address is a
    warning in the log, never a request and never a failed report."""
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            return _refuse(url)

    return NoFetch(allowed_protocols=(), fail_on_errors=False)


def _letters(word: str) -> float:
    """A word's width in average letters: digits are wider than most letters (an amount
    such as "50.000" needs the room of about eight)."""
    return len(word) + 0.3 * sum(ch.isdigit() for ch in word)


def _text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return "00.00.000000"  # how a date is printed (digits are wide)
    return "" if value is None else str(value)


# About this many characters of the tables' type fit across an A4 page.
LINE = 100


def widths(table: ReportTable) -> list[float]:
    """Column widths in per cent for a table of the PDF. Each column first gets room for
    its longest word (up to 11 letters: longer ones hyphenate) and its header (up to 8),
    a column of long texts at least 28; what is left of a line goes to the columns with long texts
    (responses, conclusions), by their average length."""
    least, extra = [], []
    for i, name in enumerate(table.header):
        cells = [_text(row[i]) for row in table.rows if i < len(row)]
        words = [_letters(w) for c in cells for w in c.split()] or [0.0]
        filled = [len(c) for c in cells if c]
        average = sum(filled) / len(filled) if filled else 0
        header = max((len(w) for w in str(name).split()), default=0)
        minimum = max(min(header, 8), min(max(words), 11), 4) + 2  # and the padding
        if average > 40:  # long texts (responses, conclusions) read badly in a narrow column
            minimum = max(minimum, 28)
        least.append(minimum)
        extra.append(max(0.0, min(average, 120) - minimum) ** 1.5)
    spare = max(0, LINE - sum(least))
    total_extra = sum(extra) or 1
    chars = [m + spare * e / total_extra for m, e in zip(least, extra, strict=True)]
    if not sum(extra):  # no long text: share the line evenly
        chars = [m + spare / len(least) for m in least]
    return [round(100 * c / sum(chars), 1) for c in chars]


def pdf(data: ReportData, *, site: str = "") -> tuple[bytes, int]:
    """The report as a tagged PDF (PDF/UA) with a title, A4 portrait; and its page count.
    ``site``: the address of the platform, for the links the report names."""
    from weasyprint import HTML  # imported here: it loads Pango, which only this needs

    laid_out = [
        (section, [(table, widths(table)) for table in section.tables]) for section in data.sections
    ]
    html = render_to_string(
        "dashboard/report/print.html", {"data": data, "site": site, "sections": laid_out}
    )
    document = HTML(string=html, url_fetcher=_fetcher()).render()
    result = document.write_pdf(pdf_variant="pdf/ua-1")
    assert result is not None
    return result, len(document.pages)


def _sheet_title(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Abschnitt"
    candidate, n = name, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def _bold_row(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append([xlsx_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _figure_value(value: int | None, data: ReportData) -> Any:
    return value if value is not None else _("weniger als %(n)s") % {"n": data.min_group}


def _figures(sheet: Worksheet, data: ReportData, title: str, rows: list[Figure]) -> None:
    sheet.append([])
    _bold_row(sheet, [title])
    _bold_row(sheet, ["", _("Beiträge"), _("Personen")])
    for figure in rows:
        sheet.append(
            [
                xlsx_cell(figure.label),
                _figure_value(figure.contributions, data),
                _figure_value(figure.people, data),
            ]
        )


def xlsx(data: ReportData) -> bytes:
    """The same data as the PDF: an overview sheet, the phases, channels and Ortsteile,
    one sheet per module section, and the next steps. Cells are defused against formulas."""
    book = Workbook()
    used: set[str] = set()
    overview = book.active
    assert overview is not None
    overview.title = _sheet_title(_("Überblick"), used)
    project = data.project
    _bold_row(overview, [_("Bericht für den Gemeinderat"), project.title])
    overview.append([xlsx_cell(_("Kommune")), xlsx_cell(data.organisation)])
    if data.partners:
        overview.append([xlsx_cell(_("Partnerkommunen")), xlsx_cell(", ".join(data.partners))])
    if data.period:
        overview.append([xlsx_cell(_("Zeitraum")), data.period[0], data.period[1]])
    overview.append([xlsx_cell(_("Stand der Daten")), data.generated_at.replace(tzinfo=None)])
    overview.append([xlsx_cell(_("Datenversion")), xlsx_cell(data.data_version)])
    overview.append([])
    overview.append([xlsx_cell(_("Beiträge")), data.contributions])
    overview.append([xlsx_cell(_("Teilnehmende Personen")), data.people])
    overview.append(
        [xlsx_cell(_("Ortsteile erreicht")), data.reached, xlsx_cell(_("von")), data.district_total]
    )
    _figures(overview, data, _("Beiträge nach Art"), data.kinds)
    phases = book.create_sheet(_sheet_title(_("Phasen"), used))
    _bold_row(phases, [_("Phase"), _("Beginn"), _("Ende"), _("Stand"), _("Was möglich war")])
    for line in data.phases:
        phases.append(
            [
                xlsx_cell(line.name),
                line.start,
                line.end,
                xlsx_cell(line.state),
                xlsx_cell(", ".join(line.actions)),
            ]
        )
    reach = book.create_sheet(_sheet_title(_("Kanäle und Ortsteile"), used))
    _bold_row(reach, [_("Kanäle und Ortsteile")])
    _figures(reach, data, _("Kanäle"), data.channels)
    districts = data.districts + ([data.without_district] if data.without_district else [])
    _figures(reach, data, _("Ortsteile"), districts)
    for section in data.sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        _bold_row(sheet, [section.title])
        for label, value in section.figures:
            sheet.append([xlsx_cell(label), xlsx_cell(value)])
        for table in section.tables:
            sheet.append([])
            _bold_row(sheet, [table.title])
            _bold_row(sheet, list(table.header))
            for row in table.rows:
                sheet.append([xlsx_cell(v) for v in row])
            if table.note:
                sheet.append([xlsx_cell(table.note)])
        for label, path in section.links:
            sheet.append([xlsx_cell(label), xlsx_cell(path)])
    steps = book.create_sheet(_sheet_title(_("Nächste Schritte"), used))
    _bold_row(steps, [_("Phase"), _("Beginn"), _("Ende"), _("Stand"), _("Was möglich ist")])
    for line in data.next_steps:
        steps.append(
            [
                xlsx_cell(line.name),
                line.start,
                line.end,
                xlsx_cell(line.state),
                xlsx_cell(", ".join(line.actions)),
            ]
        )
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFGH":
            sheet.column_dimensions[letter].width = 18
        for cells in sheet.iter_rows():
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, datetime):
                    cell.number_format = "DD.MM.YYYY HH:MM"
                elif isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
