"""The results as an XLSX workbook: a sheet per group with the binding result, the
other rule's choice, the votes per idea (online and on paper) and the plain-German
reasons. Every cell is defused (``core.csv_export.xlsx_cell``): titles are residents'
free text."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from mitmachen.budgets import results
from mitmachen.budgets.models import Budget, BudgetGroup, GroupResult, ResultRule
from mitmachen.core.csv_export import xlsx_cell

# Characters Excel forbids in a sheet's name (which is at most 31 characters long).
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(number: int, group: BudgetGroup) -> str:
    return SHEET_FORBIDDEN.sub(" ", f"{number}. {group.name}")[:31]


def _rule(code: str) -> str:
    return str(ResultRule(code).label)


def group_rows(group: BudgetGroup, data: dict[str, Any], titles: dict[int, str]) -> list[list]:
    """The rows of a group's sheet: a few lines about the vote, then one line per idea."""
    binding = data["binding"]
    other = "greedy" if binding == "mes" else "mes"
    paper_votes = {int(k): v for k, v in data.get("paper_votes", {}).items()}
    has_paper = "paper_ballots" in data
    rows: list[list[Any]] = [
        [_("Budgetgruppe"), group.name],
        [_("Betrag in Euro"), data["budget"]],
        [_("Stimmzettel"), data["voters"]],
    ]
    if has_paper:
        rows += [
            [_("davon online"), data["online_ballots"]],
            [_("davon auf Papier"), data["paper_ballots"]],
        ]
    rows += [
        [_("verbindliche Auszählungsregel"), _rule(binding)],
        [_("vergeben nach der verbindlichen Regel (Euro)"), data[f"{binding}_spent"]],
        [_("zum Vergleich: Regel"), _rule(other)],
        [_("vergeben nach der Vergleichsregel (Euro)"), data[f"{other}_spent"]],
        [],
        [
            _("Nr."),
            _("Idee"),
            _("Kosten in Euro"),
            _("Stimmen"),
            _("davon auf Papier"),
            _("verbindlich gewählt"),
            _("Begründung"),
            _("zum Vergleich gewählt"),
            _("Begründung zum Vergleich"),
        ],
    ]
    for row in data["rows"]:
        rows.append(
            [
                row["idea"],
                titles.get(row["idea"], ""),
                row["cost"],
                row["votes"],
                paper_votes.get(row["idea"], 0) if has_paper else None,
                _("ja") if row[binding] else _("nein"),
                results.explain(row, data, binding),
                _("ja") if row[other] else _("nein"),
                results.explain(row, data, other),
            ]
        )
    return rows


def xlsx_bytes(budget: Budget, stored: list[GroupResult], titles: dict[int, str]) -> bytes:
    workbook = Workbook(write_only=True)
    for number, result in enumerate(stored, start=1):
        assert result.data is not None
        sheet = workbook.create_sheet(sheet_name(number, result.group))
        sheet.append([xlsx_cell(budget.title)])
        for row in group_rows(result.group, result.data, titles):
            sheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
