"""Events' section of the council report (``ParticipationModule.report``): the published
events of the project – how many took place, were cancelled or are still to come, how
many people registered and (as the documentation says) took part, and the contributions
collected at them (``projects.contributions``), counted by kind.

A figure about fewer than ``projects.statistics.MIN_GROUP`` registrations – of one event or
of all events together – is not shown on its own ("weniger als 5"). The number
of participants is the one staff published in an event's documentation, shown on its
public page. Contributions count as a visitor sees them on the event page: hidden or
deleted rows and rows of projects nobody may see are left out, and a stack of paper
questionnaires counts its questionnaires.

No resident is named. Queries: two, plus one per declared kind of contribution that the
events' links refer to, whatever the number of events, registrations and links.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mitmachen.events.models import Event, EventContribution, RegistrationStatus, Status
from mitmachen.events.services.contributions import content_type
from mitmachen.projects import contributions
from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable
from mitmachen.projects.statistics import MIN_GROUP

# The report lists this many events (the latest first); the figures count all.
LISTED = 200


def _collected(event_ids: list[int]) -> tuple[dict[int, int], list[tuple[str, str, int]]]:
    """Contributions linked to the events that a visitor may see: {event id: number} and
    (kind's label, German count, number) per kind, in the kinds' order."""
    links: dict[int, list[tuple[int, int]]] = {}  # content type id: [(event, object)]
    for event_id, type_id, object_id in EventContribution.objects.filter(
        event_id__in=event_ids
    ).values_list("event_id", "content_type_id", "object_id"):
        links.setdefault(type_id, []).append((event_id, object_id))
    per_event: dict[int, int] = {}
    per_kind: list[tuple[str, str, int]] = []
    visitor = AnonymousUser()
    for kind in contributions.kinds():
        pairs = links.get(content_type(kind).pk)
        if not pairs:
            continue
        amounts = {
            row.pk: kind.amount(row)
            for row in kind.visible(
                visitor, kind.rows().filter(pk__in={object_id for _e, object_id in pairs})
            )
        }
        total = 0
        for event_id, object_id in pairs:
            amount = amounts.get(object_id, 0)
            per_event[event_id] = per_event.get(event_id, 0) + amount
            total += amount
        if total:
            per_kind.append((str(kind.label), kind.count_text(total), total))
    return per_event, per_kind


def _registrations(n: int) -> Any:
    if 0 < n < MIN_GROUP:
        return _("weniger als %(n)s") % {"n": MIN_GROUP}
    return n


def report(project: Project) -> ReportSection | None:
    events = list(
        Event.objects.filter(projects=project)
        .published()
        .select_related("district", "documentation")
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            )
        )
        .order_by("-starts_at", "-pk")
    )
    if not events:
        return None
    now = timezone.now()
    cancelled = [e for e in events if e.status == Status.CANCELLED]
    held = [e for e in events if e.status != Status.CANCELLED and e.ends_at < now]
    coming = [e for e in events if e.status != Status.CANCELLED and e.ends_at >= now]
    per_event, per_kind = _collected([e.pk for e in events])

    def documented(event: Event) -> Any:
        documentation = getattr(event, "documentation", None)
        return documentation.participants if documentation else None

    participants = sum(documented(e) or 0 for e in held)
    rows = tuple(
        (
            date_format(timezone.localtime(e.starts_at), "SHORT_DATE_FORMAT"),
            e.title,
            e.get_kind_display(),
            e.district.name if e.district else "–",
            _registrations(e.confirmed) if e.registration_enabled else "–",
            documented(e) if documented(e) is not None else "–",
            per_event.get(e.pk, 0),
        )
        for e in held[:LISTED]
    )
    tables = []
    if rows:
        note = ""
        if len(held) > LISTED:
            note = _("Die letzten %(listed)s von %(total)s Veranstaltungen.") % {
                "listed": LISTED,
                "total": len(held),
            }
        tables.append(
            ReportTable(
                _("Veranstaltungen, die stattgefunden haben"),
                (
                    _("Datum"),
                    _("Veranstaltung"),
                    _("Art"),
                    _("Ortsteil"),
                    _("Anmeldungen"),
                    _("Teilnehmende"),
                    _("Beiträge"),
                ),
                rows,
                note,
            )
        )
    if per_kind:
        tables.append(
            ReportTable(
                _("Bei Veranstaltungen eingebracht"),
                (_("Art des Beitrags"), _("eingebracht")),
                tuple((label, text) for label, text, _n in per_kind),
            )
        )
    return ReportSection(
        key="events",
        title=_("Veranstaltungen"),
        order=70,
        figures=(
            (_("Veranstaltungen, die stattgefunden haben"), len(held)),
            (_("abgesagt"), len(cancelled)),
            (_("noch geplant"), len(coming)),
            (_("Teilnehmende laut Dokumentation"), participants),
            (
                _("Anmeldungen zu stattgefundenen Veranstaltungen"),
                _registrations(sum(e.confirmed for e in held)),
            ),
            (_("bei Veranstaltungen eingebrachte Beiträge"), sum(n for _l, _t, n in per_kind)),
        ),
        text=(
            _(
                "Die veröffentlichten Veranstaltungen des Prozesses: Werkstatttreffen, "
                "Workshops, Stadtrundgänge, Marktstände und weitere. „Teilnehmende“ ist die "
                "Zahl, die die Verwaltung in der Dokumentation einer Veranstaltung angegeben "
                "hat; Anmeldungen einer Veranstaltung unter %(n)s werden nicht einzeln "
                "genannt. „Beiträge“ zählt die öffentlich sichtbaren Beiträge, die bei einer "
                "Veranstaltung eingegangen sind; ein Stapel Papierfragebögen zählt mit seinen "
                "Fragebögen."
            )
            % {"n": MIN_GROUP},
        ),
        tables=tuple(tables),
    )
