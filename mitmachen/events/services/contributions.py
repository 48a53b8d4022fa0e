"""What was handed in at an event: linking contributions collected offline to the event
(``EventContribution``), and the hooks the offline entry forms and services of the other
modules reach through ``projects.contributions``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.events.models import Event, EventContribution, Status
from mitmachen.projects import contributions
from mitmachen.projects.contributions import CollectedKind

# The offline entry forms offer the events that started up to this many days before the
# day a contribution was handed in (and on that day): a stack of paper questionnaires is
# often entered weeks after the market stand.
OPTIONS_DAYS_BEFORE = 60
OPTIONS_MAX = 100
LINK_PERMISSION = "events.link_contribution"


def content_type(kind: CollectedKind) -> ContentType:
    """The content type of ``kind``'s rows (cached by Django after the first query)."""
    return ContentType.objects.get_for_model(kind.model_class)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day's start and the next day's start, as aware times."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def event_label(event: Event) -> str:
    """One line for a choice: "12.11.2026, 18:00 – Klimawerkstatt (Rathaus)"."""
    when = date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT")
    place = f" ({event.place_name})" if event.place_name else ""
    return f"{when} – {event.title}{place}"


def event_options(project: Any, around: datetime.date) -> list[tuple[int, str]]:
    """The events a contribution to ``project`` handed in on ``around`` may have been
    collected at: the not cancelled events of the project's municipality or of the
    project that started in the ``OPTIONS_DAYS_BEFORE`` days up to that day, published
    or not (staff enter them), latest first. One query."""
    _, day_end = _day_bounds(around)
    earliest, _ = _day_bounds(around - datetime.timedelta(days=OPTIONS_DAYS_BEFORE))
    events = (
        Event.objects.filter(Q(organisation_id=project.organisation_id) | Q(projects=project))
        .exclude(status=Status.CANCELLED)
        .filter(starts_at__gte=earliest, starts_at__lt=day_end)
        .distinct()
        .order_by("-starts_at", "-pk")[:OPTIONS_MAX]
    )
    return [(event.pk, event_label(event)) for event in events]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"event": message})


@transaction.atomic
def contribution_link(
    *, user: Any, event: Event, row: Any, kind: CollectedKind
) -> EventContribution:
    """Link ``row`` (a contribution of ``kind``) to the event where it was collected.

    The person may link contributions of the event (``events.link_contribution``: staff
    of its municipality, the event not cancelled and begun); the row was handed in
    offline, in the event's municipality or one of its projects, not before the event's
    day, and is linked to no other event. Refusals are German ``ValidationError``s on
    ``"event"``; nothing is stored then."""
    project_id = kind.project_id(row)
    if kind.organisation_id(row) != event.organisation_id and not (
        project_id is not None and event.projects.filter(pk=project_id).exists()
    ):
        raise _refuse(_("Die Veranstaltung gehört zu einer anderen Kommune."))
    decision = decide(user, LINK_PERMISSION, event)
    if not decision:
        raise _refuse(decision.reason)
    if not kind.offline(kind.model_class._default_manager.filter(pk=row.pk)).exists():
        raise _refuse(_("Nur offline eingegangene Beiträge gehören zu einer Veranstaltung."))
    day = kind.day_of(row)
    if day is not None and day < timezone.localtime(event.starts_at).date():
        raise _refuse(_("Der Beitrag ging vor dem Tag der Veranstaltung ein."))
    try:
        with transaction.atomic():
            return EventContribution.objects.create(
                event=event, content_type=content_type(kind), object_id=row.pk, linked_by=user
            )
    except IntegrityError:
        raise _refuse(_("Dieser Beitrag ist schon mit einer Veranstaltung verknüpft.")) from None


def record(*, row: Any, kind: CollectedKind, event_id: int, user: Any) -> None:
    """The recorder of ``projects.contributions.record``: an offline entry service's row
    and the event chosen in its form (an id, checked here again)."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise _refuse(_("Diese Veranstaltung gibt es nicht."))
    contribution_link(user=user, event=event, row=row, kind=kind)


@transaction.atomic
def contribution_unlink(*, user: Any, link: EventContribution) -> None:
    """Remove a link (the contribution stays): staff who may link the event's
    contributions."""
    decision = decide(user, LINK_PERMISSION, link.event)
    if not decision:
        raise _refuse(decision.reason)
    EventContribution.objects.filter(pk=link.pk).delete()


def forget(kind: CollectedKind, instance: Any) -> None:
    """A deleted contribution leaves no link behind (in the deleting transaction)."""
    EventContribution.objects.filter(
        content_type=content_type(kind), object_id=instance.pk
    ).delete()


def forget_project(project: Any) -> None:
    """``project`` is being deleted: drop the links of its contributions, one query per
    kind (its rows then go without a query each)."""
    for kind in contributions.kinds():
        path = kind.project.removesuffix("_id").replace(".", "__")
        EventContribution.objects.filter(
            content_type=content_type(kind),
            object_id__in=kind.model_class._default_manager.filter(**{path: project}).values("pk"),
        ).delete()


def linkable(
    event: Event, kinds: Sequence[CollectedKind], *, limit: int = 200
) -> list[tuple[str, str]]:
    """The contributions staff may link to ``event`` afterwards, as choices ("key:pk",
    label): per kind, its offline rows in the event's municipality, handed in from the
    event's day to ``OPTIONS_DAYS_BEFORE`` days later, linked to no event yet. One query
    per kind (and one for the content types at first)."""
    start = timezone.localtime(event.starts_at).date()
    end = start + datetime.timedelta(days=OPTIONS_DAYS_BEFORE)
    choices: list[tuple[str, str]] = []
    for kind in kinds:
        linked = EventContribution.objects.filter(content_type=content_type(kind)).values(
            "object_id"
        )
        organisation = kind.organisation.removesuffix("_id").replace(".", "__")
        day = kind.day
        if kind.model_class._meta.get_field(day).get_internal_type() == "DateTimeField":
            day = f"{day}__date"
        rows = (
            kind.offline(kind.rows())
            .filter(**{organisation: event.organisation_id})
            .filter(**{f"{day}__gte": start, f"{day}__lte": end})
            .exclude(pk__in=linked)
            .order_by(kind.day, "pk")[:limit]
        )
        for row in rows:
            handed_in = kind.day_of(row)
            when = date_format(handed_in, "SHORT_DATE_FORMAT") if handed_in else ""
            choices.append((f"{kind.key}:{row.pk}", f"{kind.label}: {kind.title(row)} ({when})"))
    return choices
