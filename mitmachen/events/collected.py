"""Reading "Was hier eingebracht wurde": the contributions linked to an event, by kind,
as far as the person may see them (``projects.contributions`` declarations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mitmachen.events.models import Event, EventContribution
from mitmachen.events.services.contributions import content_type
from mitmachen.projects import contributions


@dataclass
class CollectedRow:
    title: str
    url: str
    amount: int
    amount_text: str  # "23 ausgefüllte Papierfragebögen"; "" where a row is one contribution
    hidden: bool
    link_id: int


@dataclass
class CollectedGroup:
    kind: contributions.CollectedKind
    rows: list[CollectedRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def count_text(self) -> str:
        return self.kind.count_text(self.total)


def collected_at(user: Any, event: Event) -> list[CollectedGroup]:
    """The contributions linked to ``event`` that ``user`` may see, grouped by kind in
    the order of the kinds' keys: one query for the links, then one per kind that has
    links (the content types are cached after their first read) – however many rows."""
    links: dict[tuple[int, int], int] = {
        (type_id, object_id): pk
        for pk, type_id, object_id in EventContribution.objects.filter(event=event).values_list(
            "pk", "content_type_id", "object_id"
        )
    }
    if not links:
        return []
    groups = []
    for kind in contributions.kinds():
        type_id = content_type(kind).pk
        ids = [object_id for (linked_type, object_id) in links if linked_type == type_id]
        if not ids:
            continue
        rows = kind.visible(user, kind.rows().filter(pk__in=ids)).order_by("pk")
        group = CollectedGroup(kind)
        for row in rows:
            group.rows.append(
                CollectedRow(
                    title=kind.title(row),
                    url=kind.url(row),
                    amount=kind.amount(row),
                    amount_text=kind.count_text(kind.amount(row)) if kind.annotate else "",
                    hidden=getattr(row, "hidden_at", None) is not None,
                    link_id=links[(type_id, row.pk)],
                )
            )
        if group.rows:
            groups.append(group)
    return groups
