"""Every write of the events module: saving an event, registering and cancelling.

Views, the admin and the demo call these functions. Registering and cancelling lock
the event row (``select_for_update``) for the count and the move-up, and the unique
constraint keeps one registration per person, so under concurrency confirmed
registrations never exceed the capacity and a cancellation promotes exactly one person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitmachen.core.documents import validate_pdf
from mitmachen.core.images import sanitise_image
from mitmachen.core.mail import send_email
from mitmachen.core.permissions import decide
from mitmachen.events.models import (
    ALT_TEXT_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    MAX_DOCUMENTATION_IMAGES,
    MAX_SERIES_DATES,
    NO,
    SUMMARY_MAX_LENGTH,
    YES,
    Answer,
    Documentation,
    DocumentationImage,
    Event,
    Frequency,
    Office,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Series,
    Status,
    Tour,
)
from mitmachen.events.permissions import organises
from mitmachen.notifications.services import notify
from mitmachen.projects.models import Project
from mitmachen.projects.modules import changed

EVENT_CHANGED = "event_changed"
EVENT_PROMOTED = "event_promoted"
EVENT_REMINDER = "event_reminder"
EVENT_DOCUMENTED = "event_documented"


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


def answer_key(question: Question) -> str:
    """The name of a question's field in forms and of its answer in ``answers``."""
    return f"frage_{question.pk}"


def answers_clean(questions: Iterable[Question], answers: Mapping[str, Any]) -> list[Answer]:
    """The answers to ``questions`` (unsaved), or ``ValidationError`` with a German message
    per question: required ones answered, yes/no and choices one of theirs, text bounded."""
    errors: dict[str, str] = {}
    rows: list[Answer] = []
    for question in questions:
        key = answer_key(question)
        value = " ".join(str(answers.get(key) or "").split())
        if not value:
            if question.required:
                errors[key] = _("Bitte beantworten Sie diese Frage.")
            continue
        if question.kind == QuestionKind.YES_NO and value not in (YES, NO):
            errors[key] = _("Bitte wählen Sie „ja“ oder „nein“.")
        elif question.kind == QuestionKind.CHOICE and value not in question.option_list():
            errors[key] = _("Bitte wählen Sie eine der angebotenen Möglichkeiten.")
        elif len(value) > ANSWER_MAX_LENGTH:
            errors[key] = _("Die Antwort darf höchstens 1.000 Zeichen lang sein.")
        else:
            rows.append(Answer(question=question, value=value))
    if errors:
        raise ValidationError(errors)
    return rows


def _store_answers(registration: Registration, answers: list[Answer]) -> None:
    for answer in answers:
        answer.registration = registration
    Answer.objects.bulk_create(answers)


def registration_register(
    *, user: Any, event: Event, answers: Mapping[str, Any] | None = None
) -> Registration:
    """Register ``user``: confirmed while places are free, otherwise on the waitlist.

    ``answers`` answer the event's questions (keys from ``answer_key``); bad or missing
    answers raise ``ValidationError`` in German and store nothing. Registering again
    returns the existing registration (its answers unchanged). Refused
    (``PermissionDenied`` with the German reason) when the event takes no registrations,
    is cancelled, has begun, or the person is blocked.
    """
    try:
        with transaction.atomic():
            locked = _locked(event)
            decide(user, "events.register", locked).raise_if_refused()
            existing = Registration.objects.filter(event=locked, user=user).first()
            if existing is not None:
                return existing
            rows = answers_clean(locked.questions.all(), answers or {})
            registration = Registration.objects.create(
                event=locked, user=user, status=_queue_status(locked), queued_at=timezone.now()
            )
            _store_answers(registration, rows)
            return registration
    except IntegrityError:
        # The same person registered in parallel; the constraint kept one.
        return Registration.objects.get(event=event, user=user)


def guest_register(
    *,
    event: Event,
    name: str,
    email: str,
    site_url: str,
    answers: Mapping[str, Any] | None = None,
) -> Registration:
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
    try:
        rows = answers_clean(event.questions.all(), answers or {})
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
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
                _store_answers(registration, rows)
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


@transaction.atomic
def check_in_set(*, user: Any, registration: Registration, present: bool) -> Registration:
    """Tick a registered person "anwesend" at the door (or take it back). Only confirmed
    registrations; ticking twice keeps the first time."""
    locked = (
        Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    )
    decide(user, "events.check_in", locked.event).raise_if_refused()
    if not locked.is_confirmed:
        raise PermissionDenied(
            _("Nur Personen mit Platz (nicht auf der Warteliste) kommen herein.")
        )
    if present and locked.checked_in_at is None:
        locked.checked_in_at = timezone.now()
    elif not present:
        locked.checked_in_at = None
    locked.save(update_fields=["checked_in_at", "updated_at"])
    return locked


# --- Scheduled tasks (management commands, see docs/events.md) ------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone with a place in a published, not cancelled event that starts
    tomorrow (Berlin date): accounts in-app and by mail, guests by mail. Returns the
    number of reminders sent.

    Each registration is reminded exactly once, also when runs overlap: a reminder is
    claimed by setting ``reminded_at`` only where it is still empty (one ``UPDATE``); a
    run that finds it set sends nothing. Safe to run every hour.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min), LOCAL)
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min), LOCAL)
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__is_published=True,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .exclude(event__status=Status.CANCELLED)
        .select_related("event", "user")
        .order_by("pk")
    )
    site_url = _site_url()
    sent = 0
    for registration in due.iterator(chunk_size=200):
        if _remind(registration, now=now, site_url=site_url):
            sent += 1
    return sent


def _remind(registration: Registration, *, now: datetime, site_url: str) -> bool:
    """Claim and send one reminder; False when another run claimed it first."""
    with transaction.atomic():
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            return False
        event = registration.event
        if registration.is_guest:
            _mail_guest(registration, "events/email/guest_reminder.txt", site_url)
            return True
        when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y, %H:%M")
        title = _("Morgen: %(title)s") % {"title": event.title}
        where = ", ".join(p for p in (event.place_name, event.address) if p) or _("online")
        text = _("Wir erinnern Sie an Ihre Anmeldung: %(when)s Uhr, %(where)s.") % {
            "when": when,
            "where": where,
        }
        notify(
            recipients=[registration.user],
            kind=EVENT_REMINDER,
            title=title,
            url=event.get_absolute_url(),
            text=text,
            mail_subject=title,
            mail_body=text,
        )
        return True


def guests_delete(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete the guest registrations (name, address, answers) of events that ended more
    than ``days`` days ago (default: the setting ``EVENTS_GUEST_RETENTION_DAYS``, 30).
    Returns the number of registrations deleted."""
    now = now or timezone.now()
    if days is None:
        days = settings.EVENTS_GUEST_RETENTION_DAYS
    old = Registration.objects.filter(
        user__isnull=True, event__ends_at__lt=now - timedelta(days=days)
    )
    _total, per_model = old.delete()  # with their answers
    return per_model.get(Registration._meta.label, 0)


# --- Series ---------------------------------------------------------------------------

LOCAL = ZoneInfo(settings.TIME_ZONE)
# Fields a generated date does not take from the first date.
_NOT_COPIED = {"id", "created_at", "updated_at", "starts_at", "ends_at", "status", "status_note"}
_NOT_COPIED |= {"series_id"}


def series_dates(
    *, first: datetime, frequency: str, interval: int, week_of_month: int | None, until: date
) -> list[datetime]:
    """The local (naive, Europe/Berlin) start times after ``first`` up to ``until`` by the
    rule, at most ``MAX_SERIES_DATES`` - 1 of them (``ValidationError`` beyond)."""
    start = timezone.localtime(first, LOCAL).replace(tzinfo=None)
    weekday = start.weekday()
    if frequency == Frequency.WEEKLY:
        rule = rrule.rrule(
            rrule.WEEKLY,
            interval=interval,
            byweekday=weekday,
            dtstart=start,
            until=datetime.combine(until, time.max),
        )
    else:
        rule = rrule.rrule(
            rrule.MONTHLY,
            interval=interval,
            byweekday=rrule.weekday(weekday, week_of_month),
            dtstart=start,
            until=datetime.combine(until, time.max),
        )
    # The rule yields lazily: never more than one date beyond the bound is computed.
    dates = [d for d in islice(rule, MAX_SERIES_DATES + 1) if d > start]
    if len(dates) + 1 > MAX_SERIES_DATES:
        raise ValidationError(
            {
                "until": _(
                    "Eine Reihe hat höchstens %(n)s Termine; diese Regel ergäbe mehr. Bitte "
                    "wählen Sie einen früheren letzten Termin oder einen größeren Abstand."
                )
                % {"n": MAX_SERIES_DATES}
            }
        )
    if not dates:
        raise ValidationError(
            {"until": _("Bis zu diesem Tag ergibt die Regel keinen weiteren Termin.")}
        )
    return dates


def series_plan(
    *,
    user: Any,
    first: Event,
    frequency: str,
    until: date,
    interval: int = 1,
    week_of_month: int | None = None,
) -> tuple[Series, list[datetime]]:
    """Check a new series starting with ``first`` and compute its further dates (local
    times), writing nothing: the admin form shows the German messages before saving."""
    if not organises(user, first.organisation_id):
        raise PermissionDenied(_("Terminreihen legen nur die Mitarbeitenden der Kommune an."))
    if first.series_id is not None:
        raise ValidationError({"first": _("Dieser Termin gehört schon zu einer Reihe.")})
    if first.starts_at <= timezone.now():
        raise ValidationError(
            {"first": _("Eine Reihe kann nicht mit einem vergangenen Termin beginnen.")}
        )
    if first.is_cancelled:
        raise ValidationError({"first": _("Eine Reihe kann nicht mit einer Absage beginnen.")})
    if frequency == Frequency.MONTHLY and week_of_month is None:
        raise ValidationError(
            {"week_of_month": _("Bitte wählen Sie, der wievielte Wochentag im Monat es ist.")}
        )
    series = Series(
        organisation_id=first.organisation_id,
        title=first.title,
        frequency=frequency,
        interval=interval,
        week_of_month=week_of_month if frequency == Frequency.MONTHLY else None,
        until=until,
    )
    series.full_clean()
    if until <= timezone.localdate(first.starts_at):
        raise ValidationError({"until": _("Der letzte Termin muss nach dem ersten liegen.")})
    starts = series_dates(
        first=first.starts_at,
        frequency=frequency,
        interval=interval,
        week_of_month=series.week_of_month,
        until=until,
    )
    return series, starts


@transaction.atomic
def series_create(
    *,
    user: Any,
    first: Event,
    frequency: str,
    until: date,
    interval: int = 1,
    week_of_month: int | None = None,
) -> Series:
    """Make ``first`` the first date of a new series and create its further dates.

    Each date copies the first one (place, description, registration, capacity,
    accessibility, projects, questions) and keeps its local start and end time in
    Europe/Berlin, also across the daylight-saving change. At most ``MAX_SERIES_DATES``
    dates; bad rules raise ``ValidationError`` in German and create nothing.
    """
    given, first = first, Event.objects.select_for_update().get(pk=first.pk)
    series, starts = series_plan(
        user=user,
        first=first,
        frequency=frequency,
        until=until,
        interval=interval,
        week_of_month=week_of_month,
    )
    series.save()
    first.series = series
    first.save(update_fields=["series", "updated_at"])
    given.series = series  # the caller's copy too: saving it later keeps the series
    local_start = timezone.localtime(first.starts_at, LOCAL).replace(tzinfo=None)
    duration = timezone.localtime(first.ends_at, LOCAL).replace(tzinfo=None) - local_start
    copied = {
        f.attname: getattr(first, f.attname)
        for f in Event._meta.concrete_fields
        if f.attname not in _NOT_COPIED
    }
    events = Event.objects.bulk_create(
        Event(
            **copied,
            series=series,
            # Local wall-clock times made aware in Europe/Berlin: 18:00 stays 18:00 in
            # summer and in winter.
            starts_at=timezone.make_aware(start, LOCAL),
            ends_at=timezone.make_aware(start + duration, LOCAL),
        )
        for start in starts
    )
    project_ids = list(first.projects.values_list("pk", flat=True))
    Event.projects.through.objects.bulk_create(
        Event.projects.through(event_id=e.pk, project_id=p) for e in events for p in project_ids
    )
    questions = list(first.questions.all())
    Question.objects.bulk_create(
        Question(
            event_id=e.pk,
            text=q.text,
            kind=q.kind,
            options=q.options,
            required=q.required,
            order=q.order,
        )
        for e in events
        for q in questions
    )
    changed(everywhere=True)
    return series


# --- Documentation after the event ------------------------------------------------------

ALT_TEXT_REQUIRED = gettext_lazy(
    "Bitte beschreiben Sie, was auf dem Bild zu sehen ist (für Menschen, die es "
    "nicht sehen können)."
)
IMAGE_MISSING = gettext_lazy("Zur Bildbeschreibung fehlt das Bild.")


def _delete_file_on_commit(file: Any) -> None:
    """Remove a replaced or removed upload from storage once the change is committed (a
    rollback keeps it, as it keeps the row that names it)."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


def _documented_recipients(event: Event) -> Any:
    """People registered with an account (a place or on the waitlist) and the followers
    of the event's projects: one query."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(event_registrations__event=event) | Q(follows__project__in=event.projects.all())
        )
        .distinct()
    )


@transaction.atomic
def documentation_save(
    *,
    user: Any,
    event: Event,
    summary: str,
    protocol: Any = None,
    remove_protocol: bool = False,
    image: Any = None,
    alt_text: str = "",
    remove_images: Iterable[int] = (),
) -> Documentation:
    """Write "Was dabei herauskam" for an event that is over: the summary (Markdown), the
    protocol (a PDF, checked and rewritten by ``core.documents.validate_pdf``; replaced,
    kept or removed), one new photo with its required description (``sanitise_image``
    drops the metadata), and photos to remove.

    Everything is checked before anything is written: bad input raises ``ValidationError``
    with German messages and stores nothing. The event row is locked, so two staff saving
    at once make one documentation, and only the first save tells the people registered
    with an account and the project followers (in-app), once.
    """
    decide(user, "events.document", event).raise_if_refused()
    event = Event.objects.select_for_update().get(pk=event.pk)
    documentation = Documentation.objects.filter(event=event).first()
    errors: dict[str, Any] = {}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Bitte schreiben Sie, was bei der Veranstaltung herauskam.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = _("Höchstens 20.000 Zeichen, bitte.")
    clean_protocol = None
    if protocol:
        try:
            clean_protocol = validate_pdf(protocol)
        except ValidationError as error:
            errors["protocol"] = error.messages
    existing = list(documentation.images.all()) if documentation else []
    removing = [i for i in existing if i.pk in set(remove_images)]
    alt_text = (alt_text or "").strip()
    clean_image = None
    if image:
        if not alt_text:
            errors["alt_text"] = ALT_TEXT_REQUIRED
        elif len(alt_text) > ALT_TEXT_MAX_LENGTH:
            errors["alt_text"] = _("Höchstens 250 Zeichen, bitte.")
        elif len(existing) - len(removing) >= MAX_DOCUMENTATION_IMAGES:
            errors["image"] = _("Höchstens %(n)s Bilder je Veranstaltung, bitte.") % {
                "n": MAX_DOCUMENTATION_IMAGES
            }
        try:
            clean_image = sanitise_image(image)
        except ValidationError as error:
            errors["image"] = error.messages
    elif alt_text:
        errors["image"] = IMAGE_MISSING
    if errors:
        raise ValidationError(errors)

    created = documentation is None
    if documentation is None:
        documentation = Documentation(event=event)
    documentation.summary = summary
    if clean_protocol is not None or remove_protocol:
        _delete_file_on_commit(documentation.protocol)
        documentation.protocol = ""
        documentation.protocol_size = documentation.protocol_pages = None
    if clean_protocol is not None:
        content, pages = clean_protocol
        documentation.protocol.save(content.name or "protokoll.pdf", content, save=False)
        documentation.protocol_size, documentation.protocol_pages = content.size, pages
    documentation.full_clean(exclude=["event", "protocol"])
    documentation.save()
    for old in removing:
        _delete_file_on_commit(old.image)
        old.delete()
    if clean_image is not None:
        row = DocumentationImage(documentation=documentation, alt_text=alt_text)
        row.image.save(clean_image.name or "bild.jpg", clean_image, save=False)
        row.full_clean(exclude=["documentation", "image"])
        row.save()
    if created:
        title = _("Was herauskam: %(title)s") % {"title": event.title}
        notify(
            recipients=_documented_recipients(event),
            kind=EVENT_DOCUMENTED,
            title=title,
            url=event.get_absolute_url() + "#dokumentation",
            text=_("Die Dokumentation der Veranstaltung ist online."),
            exclude=user,
        )
    return documentation
