"""Every write of the events module: saving an event, registering and cancelling.

Views, the admin and the demo call these functions. Registering and cancelling lock
the event row (``select_for_update``) for the count and the move-up, and the unique
constraint keeps one registration per person, so under concurrency confirmed
registrations never exceed the capacity and a cancellation promotes exactly one person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.core.mail import send_email
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
        while _promote(event, _site_url()) is not None:
            pass
    return event


def _tell_registered(event: Event) -> None:
    registrations = list(event.registrations.select_related("user"))
    recipients = [r.user for r in registrations if r.user is not None]
    for guest in (r for r in registrations if r.is_guest and r.status != "unbestaetigt"):
        _mail_guest(guest, "events/email/guest_changed.txt", _site_url())
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


def _queue_status(event: Event) -> str:
    """Confirmed while places are free, otherwise waitlisted (the event row is locked)."""
    if event.capacity is None:
        return RegistrationStatus.CONFIRMED
    confirmed = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).count()
    return (
        RegistrationStatus.CONFIRMED
        if confirmed < event.capacity
        else RegistrationStatus.WAITLISTED
    )


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
            return Registration.objects.create(
                event=locked, user=user, status=_queue_status(locked), queued_at=timezone.now()
            )
    except IntegrityError:
        # The same person registered in parallel; the constraint kept one.
        return Registration.objects.get(event=event, user=user)


def guest_register(*, event: Event, name: str, email: str, site_url: str) -> Registration:
    """A guest asks to register with name and e-mail address (double opt-in).

    The registration is pending and holds no place; the guest gets a mail with their
    personal link (``site_url`` is the site's address, e.g. "https://mitmachen.example/")
    to confirm or cancel. Asking again with the same address sends the link again
    (and says nothing about whether the address was known). Refused like
    ``registration_register``; bad input raises ``ValidationError`` in German.
    """
    name = " ".join(name.split())
    email = email.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["guest_name"] = _("Bitte geben Sie Ihren Namen an.")
    elif len(name) > 120:
        errors["guest_name"] = _("Der Name darf höchstens 120 Zeichen lang sein.")
    try:
        validate_email(email)
    except ValidationError:
        errors["guest_email"] = _("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            locked = _locked(event)
            decide(AnonymousUser(), "events.register_guest", locked).raise_if_refused()
            registration = Registration.objects.filter(
                event=locked, user__isnull=True, guest_email__iexact=email
            ).first()
            if registration is None:
                registration = Registration.objects.create(
                    event=locked,
                    guest_name=name,
                    guest_email=email,
                    status=RegistrationStatus.PENDING,
                )
            _mail_guest(registration, "events/email/guest_link.txt", site_url)
            return registration
    except IntegrityError:
        # The same address was sent in parallel; the constraint kept one (mailed once).
        return Registration.objects.get(event=event, user__isnull=True, guest_email__iexact=email)


def _mail_guest(registration: Registration, template: str, site_url: str) -> None:
    context = {
        "registration": registration,
        "event": registration.event,
        "link": site_url.rstrip("/") + reverse("events:guest", args=[registration.token]),
        "event_link": site_url.rstrip("/") + registration.event.get_absolute_url(),
    }
    subject = render_to_string(template.replace(".txt", "_subject.txt"), context).strip()
    body = render_to_string(template, context)
    to = [registration.guest_email]
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=to))


def guest_registration(token: str) -> Registration | None:
    """The guest registration of this personal link, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Registration.objects.filter(token=token, user__isnull=True)
        .select_related("event__organisation")
        .first()
    )


def guest_confirm(*, token: str) -> Registration:
    """The guest confirms their address: now they take a place or join the waitlist.
    Confirming again changes nothing."""
    with transaction.atomic():
        registration = guest_registration(token)
        if registration is None:
            raise PermissionDenied(_("Diesen Link kennen wir nicht (mehr)."))
        locked = _locked(registration.event)
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None:  # cancelled in parallel
            raise PermissionDenied(_("Diesen Link kennen wir nicht (mehr)."))
        registration = current
        if registration.status != RegistrationStatus.PENDING:
            return registration
        decide(AnonymousUser(), "events.register_guest", locked).raise_if_refused()
        registration.status = _queue_status(locked)
        registration.queued_at = timezone.now()
        registration.save(update_fields=["status", "queued_at", "updated_at"])
        return registration


@transaction.atomic
def guest_cancel(*, token: str, site_url: str) -> bool:
    """The guest cancels with their personal link; a freed place goes to the next one.
    Returns whether there was a registration to cancel."""
    registration = guest_registration(token)
    if registration is None:
        return False
    locked = _locked(registration.event)
    current = Registration.objects.filter(pk=registration.pk).first()
    if current is None:
        return False  # cancelled in parallel
    _cancel(locked, current, site_url)
    return True


@transaction.atomic
def registration_cancel(*, user: Any, event: Event, site_url: str = "") -> Registration | None:
    """Cancel ``user``'s registration. A freed place goes to the person waiting longest,
    who is told; returns that person's registration (``None`` when nobody moves up).
    Cancelling without a registration does nothing."""
    locked = _locked(event)
    registration = Registration.objects.filter(event=locked, user=user).first()
    if registration is None:
        return None
    return _cancel(locked, registration, site_url)


def _cancel(event: Event, registration: Registration, site_url: str) -> Registration | None:
    registration.delete()
    if not registration.is_confirmed:
        return None
    return _promote(event, site_url)


def _promote(event: Event, site_url: str = "") -> Registration | None:
    """Move the longest-waiting person up if a place is free (the event row is locked)."""
    if _queue_status(event) != RegistrationStatus.CONFIRMED:
        return None
    waiting = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("queued_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = RegistrationStatus.CONFIRMED
    waiting.save(update_fields=["status", "updated_at"])
    if waiting.is_guest:
        _mail_guest(waiting, "events/email/guest_promoted.txt", site_url or _site_url())
        return waiting
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


def _site_url() -> str:
    """The site's address for links in mails written outside a request (the admin
    adding places, a command)."""
    from django.contrib.sites.models import Site

    return f"https://{Site.objects.get_current().domain}/"
