"""Reading the origins other modules declare (``projects.origins``): which contributions
a measure came from, and which measures came from a contribution. Writes are in
``services`` (``measure_from_origin``, ``origin_add``, ``origin_remove``).

A measure's origins are read in one query for the references and one per kind that has
any (the kinds are few and fixed), whatever their number; the box under a contribution
in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.http import HttpRequest
from django.urls import reverse

from mitmachen.core import sections
from mitmachen.core.permissions import decide
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.projects.models import Project
from mitmachen.projects.origins import OriginKind, Outcome, each, kinds, read_outcomes_with
from mitmachen.proposals.models import Proposal


@dataclass(frozen=True)
class Origin:
    """A contribution a measure came from, as its page lists it."""

    kind: OriginKind
    row: Any
    reference: int  # the ``MeasureOrigin``'s id (staff remove it by this)

    @property
    def label(self) -> Any:
        return self.kind.label

    @property
    def title(self) -> str:
        return self.kind.title(self.row)

    @property
    def url(self) -> str:
        return self.kind.url(self.row)


def content_type(kind: OriginKind) -> ContentType:
    """The kind's content type (Django caches it after the first query)."""
    return ContentType.objects.get_for_model(kind.model_class)


def origins_of(user: Any, measure: Measure) -> list[Origin]:
    """The declared contributions ``measure`` came from that ``user`` may see, by kind."""
    references: dict[int, dict[int, int]] = {}
    for pk, type_id, object_id in measure.origins.order_by("pk").values_list(
        "pk", "content_type_id", "object_id"
    ):
        references.setdefault(type_id, {})[object_id] = pk
    found: list[Origin] = []
    for kind in kinds():
        wanted = references.get(content_type(kind).pk)
        if not wanted:
            continue
        rows = kind.visible(user, kind.rows().filter(pk__in=list(wanted)))
        for row in sorted(rows, key=lambda r: wanted[r.pk]):
            found.append(Origin(kind, row, wanted[row.pk]))
    return found


@dataclass(frozen=True)
class Listed:
    """An origin of a measure as the export lists it: kind, title, address."""

    key: str
    label: str
    title: str
    url: str


def origins_by_measure(user: Any, measures: QuerySet[Measure]) -> dict[int, list[Listed]]:
    """The origins ``user`` may see of each of ``measures`` (the proposals first, then
    the declared kinds): one query for the proposals, one for the references and one per
    kind that has any, however many measures and origins there are."""
    found: dict[int, list[Listed]] = {}
    label = str(Proposal._meta.verbose_name)
    for measure_id, pk, title in (
        Proposal.objects.filter(
            measures__in=measures.values("pk"),
            hidden_at__isnull=True,
            project__in=Project.objects.visible_to(user),
        )
        .order_by("measures", "pk")
        .values_list("measures", "pk", "title")
    ):
        url = reverse("proposals:detail", args=[pk])
        found.setdefault(measure_id, []).append(Listed("vorschlag", label, title, url))
    references: dict[int, list[tuple[int, int]]] = {}
    for measure_id, type_id, object_id in (
        MeasureOrigin.objects.filter(measure__in=measures.values("pk"))
        .order_by("measure_id", "pk")
        .values_list("measure_id", "content_type_id", "object_id")
    ):
        references.setdefault(type_id, []).append((measure_id, object_id))
    rows: dict[tuple[int, int], Listed] = {}
    for kind in kinds():
        type_id = content_type(kind).pk
        wanted = references.get(type_id)
        if not wanted:
            continue
        visible = kind.visible(user, kind.rows().filter(pk__in={pk for _m, pk in wanted}))
        for row in visible:
            rows[(type_id, row.pk)] = Listed(
                kind.key, str(kind.label), kind.title(row), kind.url(row)
            )
    for type_id, wanted in references.items():
        for measure_id, object_id in wanted:
            listed = rows.get((type_id, object_id))
            if listed is not None:
                found.setdefault(measure_id, []).append(listed)
    return found


def measures_from(user: Any, row: Any, kind: OriginKind) -> list[Measure]:
    """The measures ``user`` may see that came from ``row`` (one query)."""
    return list(
        Measure.objects.visible_to(user)
        .filter(origins__content_type=content_type(kind), origins__object_id=row.pk)
        .select_related("status")
        .order_by("pk")
    )


def outcomes_of(user: Any, kind: OriginKind, pks: list[int]) -> dict[int, list[Outcome]]:
    """The measures ``user`` may see that came from the rows ``pks`` of ``kind``, as the
    contract's ``Outcome`` (one query, whatever the number of rows): what a module shows
    of them on its own pages (``projects.origins.outcomes``)."""
    return {
        pk: [
            Outcome(
                title=measure.title,
                url=measure.get_absolute_url(),
                status=str(measure.status.label),
                progress=measure.progress,
            )
            for measure in measures
        ]
        for pk, measures in measures_from_rows(user, kind, pks).items()
    }


def measures_from_rows(user: Any, kind: OriginKind, pks: list[int]) -> dict[int, list[Measure]]:
    """The measures ``user`` may see that came from each of the rows ``pks`` of ``kind``
    (one query, whatever the number of rows and measures)."""
    model = kind.model_class._meta
    references = (
        MeasureOrigin.objects.filter(
            # By name, not by id: no content-type lookup on a page that may not need it.
            content_type__app_label=model.app_label,
            content_type__model=model.model_name,
            object_id__in=pks,
            measure__in=Measure.objects.visible_to(user).values("pk"),
        )
        .select_related("measure__status")
        .order_by("measure_id")
    )
    found: dict[int, list[Measure]] = {}
    for reference in references:
        found.setdefault(reference.object_id, []).append(reference.measure)
    return found


def rows_section(kind: OriginKind, request: HttpRequest, rows: list[Any]) -> dict[str, Any] | None:
    """A page that lists many rows of ``kind`` (a survey's questions under its results)
    draws the kind's footer once with the list: what became of each row and, for staff
    who may make a measure of it, the link – in one query for all rows. Rows of which
    nothing became and that the person may not convert are left out."""
    found = measures_from_rows(request.user, kind, [row.pk for row in rows]) if rows else {}
    entries = []
    for number, row in enumerate(rows, start=1):
        measures = found.get(row.pk, [])
        can_convert = decide(request.user, "measures.measure_from_origin", row).allowed
        if measures or can_convert:
            entries.append(
                {
                    "number": number,
                    "row": row,
                    "title": kind.title(row),
                    "url": kind.url(row),
                    "measures": measures,
                    "can_convert": can_convert,
                }
            )
    if not entries:
        return None
    plural = kind.model_class._meta.verbose_name_plural
    return {"entries": entries, "kind": kind, "plural": plural}


def origin_section(kind: OriginKind, request: HttpRequest, row: Any) -> dict[str, Any] | None:
    """ "Daraus wurde die Maßnahme …" under a contribution of ``kind``; for staff who may
    make a measure of it, the link to do so. Given a list (a page listing many rows of
    the kind), the box for all of them (``rows_section``)."""
    if isinstance(row, list):
        return rows_section(kind, request, row)
    measures = measures_from(request.user, row, kind)
    can_convert = decide(request.user, "measures.measure_from_origin", row).allowed
    if not (measures or can_convert):
        return None
    return {"measures": measures, "can_convert": can_convert, "kind": kind, "row": row}


def _forget(kind: OriginKind, sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted contribution leaves no reference behind (once the deletion commits)."""
    type_id, pk = content_type(kind).pk, instance.pk
    transaction.on_commit(
        lambda: MeasureOrigin.objects.filter(content_type_id=type_id, object_id=pk).delete()
    )


def _plug_in(kind: OriginKind) -> None:
    if kind.footer:
        sections.register(
            sections.Section(
                kind.footer,
                "measures",
                "measures/sections/origin.html",
                partial(origin_section, kind),
                5,
            )
        )
    post_delete.connect(
        partial(_forget, kind),
        sender=kind.model_class,
        weak=False,
        dispatch_uid=f"measures-origin-{kind.key}",
    )


def connect() -> None:
    """Register the box and the clean-up for every declared kind, also those declared
    after this app (``INSTALLED_APPS`` order); tell the contract how to read what became
    of a declared row."""
    each(_plug_in)
    read_outcomes_with(outcomes_of)
