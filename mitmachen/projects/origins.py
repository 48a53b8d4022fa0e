"""Where a measure can come from: the module contract's ``origins``.

A module whose rows can grow into a measure of the municipality (a debate, a budget
idea, a survey's results, a comment, a paragraph of a draft text) declares an ``OriginKind`` in
``ParticipationModule.origins``. The measures module stores a reference to such a row
(its model's content type and its id) and asks the declaration for everything else –
which rows a person may see, the row's title, text, project and municipality, who to
tell – so it imports none of those modules. On the page of such a row the declaring
module draws the section page ``footer`` (e.g. ``"debate.footer"``, see
``core.sections``); the measures module registers its "Daraus wurde die Maßnahme …"
box there.

Proposals, the first origin, keep their explicit relation (``Measure.proposals``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from mitmachen.core.kinds import KindRegistry, ModelKind


@dataclass(frozen=True)
class OriginKind(ModelKind):
    """Rows of ``model`` ("app_label.ModelName") may be where a measure came from.

    - ``key``: a stable word for addresses (``/massnahmen/aus/<key>/<pk>/``), e.g.
      "debatte"; ``label``: the German noun shown before the row's title ("Debatte").
    - ``visible(user, rows)``: ``rows`` narrowed to those the person may see (a
      queryset: the measures module reads all origins of one kind in one query).
    - ``title(row)``, ``text(row)``: what a measure made from the row takes as its
      title and description.
    - ``organisation``: the dotted attribute path from a row to its municipality's id
      ("project.organisation_id"); ``project``: to its project's id ("project_id"),
      or "" when rows belong to no project.
    - ``select_related``: what reading rows for the path and the title joins.
    - ``footer``: the section page the module draws under a row ("debate.footer"),
      "" when its page has none.
    - ``page(row)``: the address of the row's page that draws ``footer`` (a survey's
      results); ``None``: ``row.get_absolute_url()``.
    - ``ready(row)``: may the row become a measure now (a winning budget project, a
      closed debate)? ``None``: always.
    - ``people(row)``: the accounts told when the row becomes a measure (its author,
      its followers), a queryset; ``None``: nobody.
    """

    key: str
    model: str
    label: Any
    visible: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    title: Callable[[Any], str]
    text: Callable[[Any], str] = lambda row: ""
    organisation: str = "project.organisation_id"
    project: str = "project_id"
    select_related: tuple[str, ...] = ("project",)
    footer: str = ""
    page: Callable[[Any], str] | None = None
    ready: Callable[[Any], bool] | None = None
    people: Callable[[Any], QuerySet[Any]] | None = None

    def url(self, row: Any) -> str:
        """The address of the row's page (where its footer is drawn)."""
        return self.page(row) if self.page is not None else str(row.get_absolute_url())

    def is_ready(self, row: Any) -> bool:
        return self.ready is None or bool(self.ready(row))


_registry: KindRegistry[OriginKind] = KindRegistry("Origin kind", "origin")
# ``register`` is called by ``projects.modules.register`` for each declared kind.
register = _registry.register
each = _registry.each
kinds = _registry.kinds
kind = _registry.kind
kind_of = _registry.kind_of


@dataclass(frozen=True)
class Outcome:
    """What became of a declared row, as the module that made something of it tells:
    a measure's title, address, status and progress. The row's own module shows it on
    its pages (a budget's results) without importing that module."""

    title: str
    url: str
    status: str
    progress: int


# ``reader(user, kind, pks)``: {pk: [Outcome, …]} for the rows ``pks`` of ``kind`` that
# ``user`` may see, in a fixed number of queries however many rows there are.
OutcomeReader = Callable[[Any, OriginKind, list[int]], dict[int, list[Outcome]]]
_readers: list[OutcomeReader] = []


def read_outcomes_with(reader: OutcomeReader) -> None:
    """Called by the module that makes something of declared rows (measures)."""
    if reader not in _readers:
        _readers.append(reader)


def outcomes(user: Any, kind: OriginKind, pks: list[int]) -> dict[int, list[Outcome]] | None:
    """What became of the rows ``pks`` of ``kind`` (one query per reader, none without
    rows); ``None`` when no module makes anything of rows (nothing to say)."""
    if not _readers:
        return None
    found: dict[int, list[Outcome]] = {}
    if not pks:
        return found
    for reader in _readers:
        for pk, each_outcome in reader(user, kind, pks).items():
            found.setdefault(pk, []).extend(each_outcome)
    return found
