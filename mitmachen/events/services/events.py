"""Saving events, Mitmachmobil tours and project offices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.events.models import (
    Event,
    Office,
    Status,
    Tour,
)
from mitmachen.events.permissions import organises
from mitmachen.events.services.common import EVENT_CHANGED, _mail_guest, _site_url
from mitmachen.events.services.registration import _promote
from mitmachen.notifications.services import notify
from mitmachen.projects.models import Project


@transaction.atomic
def event_save(*, user: Any, event: Event, projects: Iterable[Project] | None = None) -> Event:
    """Validate and save ``event`` (new or changed), with its projects when given.

    Only the municipality's administration and project managers may. The projects must
    belong to the event's municipality. When the event is cancelled or postponed (or its
    note changes while it is), everyone registered is told in-app and by mail.
    """
    if not organises(user, event.organisation_id):
        raise PermissionDenied(_("Veranstaltungen legen nur die Mitarbeitenden der Kommune an."))
    event.full_clean()
    project_list = list(projects) if projects is not None else None
    if project_list is not None:
        foreign = [p for p in project_list if p.organisation_id != event.organisation_id]
        if foreign:
            raise ValidationError(
                {"projects": _("Diese Beteiligungsprozesse gehören zu einer anderen Kommune.")}
            )
    if event.tour_id is not None:
        _check_tour_stop(event)
    before = None
    if event.pk is not None:
        before = (
            Event.objects.select_for_update()
            .filter(pk=event.pk)
            .values("status", "status_note", "starts_at", "ends_at")
            .first()
        )
    event.save()
    if project_list is not None:
        event.projects.set(project_list)
    status_changed = before is not None and (
        before["status"] != event.status or before["status_note"] != event.status_note
    )
    # A date moved (e.g. one date of a series): its registered people hear the new time.
    moved = before is not None and (
        before["starts_at"] != event.starts_at or before["ends_at"] != event.ends_at
    )
    if moved:
        # A moved date is reminded of again the day before its new date.
        event.registrations.update(reminded_at=None)
    if (status_changed and event.status != Status.PLANNED) or (moved and not event.is_cancelled):
        _tell_registered(event)
    if before is not None and event.registration_enabled:
        # More places (or none limited any more): the waitlist moves up at once.
        while _promote(event, _site_url()) is not None:
            pass
    return event


def _check_tour_stop(event: Event) -> None:
    """A tour's stops do not overlap in time (the van is at one place at a time).

    The tour row is locked first, so two staff adding stops at once check one after
    the other and cannot both store overlapping stops."""
    Tour.objects.select_for_update().filter(pk=int(event.tour_id or 0)).first()
    message = tour_clash(event)
    if message:
        raise ValidationError({"starts_at": message})


def tour_clash(event: Event) -> str:
    """The German reason why ``event`` overlaps another stop of its tour, or "".
    Cancelled stops leave their time free. (The admin form asks this too, to show the
    message at the field; ``event_save`` asks again under the tour's lock.)"""
    if event.tour_id is None or event.is_cancelled or not (event.starts_at and event.ends_at):
        return ""
    clash = (
        Event.objects.filter(
            tour_id=event.tour_id, starts_at__lt=event.ends_at, ends_at__gt=event.starts_at
        )
        .exclude(status=Status.CANCELLED)
        .exclude(pk=event.pk)
        .order_by("starts_at")
        .first()
    )
    if clash is None:
        return ""
    starts, ends = timezone.localtime(clash.starts_at), timezone.localtime(clash.ends_at)
    return _(
        "Zu dieser Zeit hält das Mitmachmobil schon in %(place)s (%(when)s Uhr). "
        "Die Halte einer Tour dürfen sich nicht überschneiden."
    ) % {"place": clash.place_name, "when": f"{starts:%d.%m.%Y, %H:%M}–{ends:%H:%M}"}


@transaction.atomic
def tour_save(*, user: Any, tour: Tour) -> Tour:
    """Validate and save a Mitmachmobil tour (its stops are events, see ``event_save``)."""
    if not organises(user, tour.organisation_id):
        raise PermissionDenied(_("Touren legen nur die Mitarbeitenden der Kommune an."))
    tour.full_clean()
    tour.save()
    return tour


@transaction.atomic
def office_save(*, user: Any, office: Office) -> Office:
    """Validate and save a project office (its hours and closures are its admin's inlines,
    checked by ``forms.OpeningHoursFormSet`` and the database)."""
    if not organises(user, office.organisation_id):
        raise PermissionDenied(_("Projektbüros pflegen nur die Mitarbeitenden der Kommune."))
    office.full_clean()
    office.save()
    return office


def _tell_registered(event: Event) -> None:
    registrations = list(event.registrations.select_related("user"))
    recipients = [r.user for r in registrations if r.user is not None]
    for guest in (r for r in registrations if r.is_guest and r.status != "unbestaetigt"):
        _mail_guest(guest, "events/email/guest_changed.txt", _site_url())
    title = (_("Abgesagt: %(title)s") if event.is_cancelled else _("Verschoben: %(title)s")) % {
        "title": event.title
    }
    text = event.status_note
    if not event.is_cancelled:
        when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y, %H:%M")
        text = " ".join([text, _("Neuer Termin: %(when)s Uhr.") % {"when": when}]).strip()
    notify(
        recipients=recipients,
        kind=EVENT_CHANGED,
        title=title,
        url=event.get_absolute_url(),
        text=text,
        mail_subject=title,
        mail_body=text,
    )


@transaction.atomic
def event_create(
    *, user: Any, organisation: Any, projects: Iterable[Project] = (), **fields: Any
) -> Event:
    """A new event of ``organisation`` (see ``event_save``)."""
    event = Event(organisation=organisation, **fields)
    return event_save(user=user, event=event, projects=projects)
