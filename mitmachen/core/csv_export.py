"""Streamed CSV downloads and safe spreadsheet cells (CSV and XLSX) for every export.

Rows are written one at a time into a small buffer and handed to Django's
``StreamingHttpResponse``; the query reads in chunks (a server-side cursor on
PostgreSQL). Cells that a spreadsheet would run as a formula are defused (CSV
injection): a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets an
apostrophe in front.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


class _Echo:
    """A file-like object that returns what is written instead of storing it."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> Any:
    # Some spreadsheets also run a formula after leading spaces.
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Word copies a line break inside a paragraph as a vertical tab (a page break as a form
# feed); XLSX cannot hold these control characters, so they become line breaks.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: no formula, no character the file format forbids.

    openpyxl refuses control characters (the export would fail on one free-text
    answer) and stores any string starting with "=" as a formula.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.translate(LINE_BREAKS))
    return safe_cell(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that spreadsheet programs read the umlauts as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
