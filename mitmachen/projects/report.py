"""What a participation module contributes to the council report (``ParticipationModule.report``).

The council report ("Bericht für den Gemeinderat", built by the dashboard) asks every
module for its section of one project: ``report(project)`` returns a ``ReportSection``
or ``None`` (the module has nothing in that project). A section is plain data – German
text, figures and tables – so that the dashboard draws every module's section the same
way in the PDF and writes it as one sheet of the XLSX file, without importing a module.

Rules for a module's hook:

- a fixed number of queries, whatever the number of contributions (the report of a
  project with 20,000 contributions is generated in the background, but still in
  bounded time);
- no names of residents: figures, titles of contributions, the administration's own
  words (responses, conclusions, weighings); never an author, an e-mail address or a
  free text a resident wrote that the platform does not show publicly;
- the small-group rule (``projects.statistics.MIN_GROUP``): a figure about fewer than
  five people is not shown on its own (``ReportSection.withheld`` explains it);
- hidden (moderated) and withdrawn contributions are not counted, as on public pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReportTable:
    """A table of a section: ``header`` (German column names) and ``rows`` of plain
    values (str, int, Decimal, date). ``title`` is its caption; ``note`` a line under it."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One module's part of the council report.

    ``key``: stable, names the XLSX sheet's order and the tests ("proposals");
    ``title``: its German heading ("Vorschläge"); ``order``: its place among the
    sections (proposals 10, polls 20, debates 30, drafts 40, budgets 50, measures 60,
    events 70);
    ``figures``: the headline numbers as (German label, value); ``text``: paragraphs of
    explanation; ``tables``: the details; ``links``: (German label, absolute path) of
    pages that say more (a draft's Abwägungstabelle)."""

    key: str
    title: str
    order: int = 100
    figures: tuple[tuple[str, Any], ...] = ()
    text: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = field(default=())
    links: tuple[tuple[str, str], ...] = ()
