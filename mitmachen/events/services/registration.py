"""Registering, confirming (guests), cancelling with the move-up from the waitlist, and
the check-in at the door.

Registering and cancelling lock the event row (``select_for_update``) for the count and
the move-up, and the unique constraint keeps one registration per person, so under
concurrency confirmed registrations never exceed the capacity and a cancellation
promotes exactly one person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.events.models import (
    ANSWER_MAX_LENGTH,
    NO,
    YES,
    Answer,
    Event,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from mitmachen.events.services.common import EVENT_PROMOTED, _mail_guest, _site_url
from mitmachen.notifications.services import notify


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
    Returns whether there was a registration to cancel; once the event has begun it is
    refused (``PermissionDenied`` with the reason)."""
    registration = guest_registration(token)
    if registration is None:
        return False
    locked = _locked(registration.event)
    decide(AnonymousUser(), "events.cancel_registration", locked).raise_if_refused()
    current = Registration.objects.filter(pk=registration.pk).first()
    if current is None:
        return False  # cancelled in parallel
    _cancel(locked, current, site_url)
    return True


@transaction.atomic
def registration_cancel(*, user: Any, event: Event, site_url: str = "") -> Registration | None:
    """Cancel ``user``'s registration. A freed place goes to the person waiting longest,
    who is told; returns that person's registration (``None`` when nobody moves up).
    Cancelling without a registration does nothing; once the event has begun it is
    refused (``PermissionDenied`` with the reason)."""
    locked = _locked(event)
    registration = Registration.objects.filter(event=locked, user=user).first()
    if registration is None:
        return None
    decide(user, "events.cancel_registration", locked).raise_if_refused()
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
