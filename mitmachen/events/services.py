"""Every write of the events module: saving an event, registering and cancelling.

Views, the admin and the demo call these functions. Registering and cancelling lock
the event row (``select_for_update``) for the count and the move-up, and the unique
constraint keeps one registration per person, so under concurrency confirmed
registrations never exceed the capacity and a cancellation promotes exactly one person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.events.models import Event, Registration, RegistrationStatus, Status
from mitmachen.events.permissions import organises
from mitmachen.notifications.services import notify
from mitmachen.projects.models import Project

EVENT_CHANGED = "event_changed"
EVENT_PROMOTED = "event_promoted"


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
    before = None
    if event.pk is not None:
        before = (
            Event.objects.select_for_update()
            .filter(pk=event.pk)
            .values("status", "status_note")
            .first()
        )
    event.save()
    if project_list is not None:
        event.projects.set(project_list)
    changed = before is not None and (
        before["status"] != event.status or before["status_note"] != event.status_note
    )
    if changed and event.status != Status.PLANNED:
        _tell_registered(event)
    if before is not None and event.registration_enabled:
        # More places (or none limited any more): the waitlist moves up at once.
        while _promote(event) is not None:
            pass
    return event


def _tell_registered(event: Event) -> None:
    recipients = [r.user for r in event.registrations.select_related("user")]
    title = (_("Abgesagt: %(title)s") if event.is_cancelled else _("Verschoben: %(title)s")) % {
        "title": event.title
    }
    notify(
        recipients=recipients,
        kind=EVENT_CHANGED,
        title=title,
        url=event.get_absolute_url(),
        text=event.status_note,
        mail_subject=title,
        mail_body=event.status_note,
    )


@transaction.atomic
def event_create(
    *, user: Any, organisation: Any, projects: Iterable[Project] = (), **fields: Any
) -> Event:
    """A new event of ``organisation`` (see ``event_save``)."""
    event = Event(organisation=organisation, **fields)
    return event_save(user=user, event=event, projects=projects)


def _locked(event: Event) -> Event:
    """The event row, locked until the transaction ends: registrations for it queue here."""
    return Event.objects.select_for_update().get(pk=event.pk)


def registration_register(*, user: Any, event: Event) -> Registration:
    """Register ``user``: confirmed while places are free, otherwise on the waitlist.

    Registering again returns the existing registration. Refused (``PermissionDenied``
    with the German reason) when the event takes no registrations, is cancelled, has
    begun, or the person is blocked.
    """
    try:
        with transaction.atomic():
            locked = _locked(event)
            decide(user, "events.register", locked).raise_if_refused()
            existing = Registration.objects.filter(event=locked, user=user).first()
            if existing is not None:
                return existing
            status = RegistrationStatus.CONFIRMED
            if locked.capacity is not None:
                confirmed = Registration.objects.filter(
                    event=locked, status=RegistrationStatus.CONFIRMED
                ).count()
                if confirmed >= locked.capacity:
                    status = RegistrationStatus.WAITLISTED
            return Registration.objects.create(event=locked, user=user, status=status)
    except IntegrityError:
        # The same person registered in parallel; the constraint kept one.
        return Registration.objects.get(event=event, user=user)


@transaction.atomic
def registration_cancel(*, user: Any, event: Event) -> Registration | None:
    """Cancel ``user``'s registration. A freed place goes to the person waiting longest,
    who is told; returns that person's registration (``None`` when nobody moves up).
    Cancelling without a registration does nothing."""
    locked = _locked(event)
    registration = Registration.objects.filter(event=locked, user=user).first()
    if registration is None:
        return None
    registration.delete()
    if not registration.is_confirmed:
        return None
    return _promote(locked)


def _promote(event: Event) -> Registration | None:
    """Move the longest-waiting person up if a place is free (the event row is locked)."""
    if event.capacity is not None:
        confirmed = Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED
        ).count()
        if confirmed >= event.capacity:
            return None
    waiting = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = RegistrationStatus.CONFIRMED
    waiting.save(update_fields=["status", "updated_at"])
    title = _("Sie haben einen Platz: %(title)s") % {"title": event.title}
    text = _("Es ist ein Platz frei geworden; Sie sind von der Warteliste nachgerückt.")
    notify(
        recipients=[waiting.user],
        kind=EVENT_PROMOTED,
        title=title,
        url=event.get_absolute_url(),
        text=text,
        mail_subject=title,
        mail_body=text,
    )
    return waiting
