"""Registrations for an event, the questions staff ask with them and the answers."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.events.models.choices import RegistrationStatus
from mitmachen.events.models.events import Event

GUEST_TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(GUEST_TOKEN_BYTES)


class Registration(TimeStampedModel):
    """A registration for an event: confirmed, or on the waitlist.

    A signed-in person registers with their account (``user``); a guest with name and
    e-mail address (double opt-in): the row is ``PENDING`` and holds no place until the
    guest confirms with the link mailed to them. ``token`` is the guest's personal key
    for confirming and cancelling (the links in the mail).

    One per account and event, one per guest address and event (database constraints).
    The services lock the event row while they count, so confirmed registrations never
    exceed the capacity; when a confirmed person cancels, the longest-waiting person on
    the waitlist moves up in the same transaction. A cancellation deletes the row:
    nothing stays about the person.
    """

    event = models.ForeignKey(
        Event,
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    guest_name = models.CharField(_("Name (Gast)"), max_length=120, blank=True)
    guest_email = models.EmailField(_("E-Mail-Adresse (Gast)"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("Status"), max_length=20, choices=RegistrationStatus.choices)
    queued_at = models.DateTimeField(
        _("angemeldet am"),
        null=True,
        blank=True,
        help_text=_("Seitdem zählt die Anmeldung: die Reihenfolge auf der Warteliste."),
    )
    reminded_at = models.DateTimeField(
        _("erinnert am"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Die Erinnerung am Vortag ging hinaus (genau einmal)."),
    )
    checked_in_at = models.DateTimeField(
        _("anwesend seit"),
        null=True,
        blank=True,
        help_text=_("Beim Einlass eingetragen (nur bestätigte Anmeldungen)."),
    )

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_person"),
            models.UniqueConstraint(
                "event",
                Lower("guest_email"),
                condition=Q(user__isnull=True),
                name="registration_once_per_guest_email",
            ),
            # An account's registration or a guest's, never both nor neither.
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_email="", guest_name="")
                | (Q(user__isnull=True) & ~Q(guest_email="") & ~Q(guest_name="")),
                name="registration_account_or_guest",
            ),
            # Only a guest's registration waits for its confirmation, and until then it
            # has no place in the queue.
            models.CheckConstraint(
                condition=Q(user__isnull=True) | ~Q(status="unbestaetigt"),
                name="registration_pending_only_guests",
            ),
            # Only people with a place are let in (the waitlist has none).
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="angemeldet"),
                name="registration_checked_in_only_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(status="unbestaetigt", queued_at__isnull=True)
                | (~Q(status="unbestaetigt") & Q(queued_at__isnull=False)),
                name="registration_queued_unless_pending",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.event} – {self.get_status_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def name(self) -> str:
        return self.guest_name if self.user is None else self.user.display_name

    @property
    def email(self) -> str:
        return self.guest_email if self.user is None else self.user.email


MAX_QUESTIONS = 10  # per event
MAX_OPTIONS = 20  # per choice question
ANSWER_MAX_LENGTH = 1000


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Freitext")
    YES_NO = "janein", _("Ja oder nein")
    CHOICE = "auswahl", _("Auswahl")


YES, NO = "ja", "nein"


class Question(models.Model):
    """A question staff ask with the registration for one event, e.g. dietary needs or
    the need for a sign-language interpreter. Answered on registering (with an account
    or as a guest), shown in the attendee list and its CSV, exported in "Meine Daten";
    the answers go with their registration."""

    event = models.ForeignKey(
        Event, verbose_name=_("Veranstaltung"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("Frage"), max_length=300)
    kind = models.CharField(
        _("Art der Antwort"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    options = models.TextField(
        _("Möglichkeiten"),
        blank=True,
        max_length=2100,
        help_text=_("Nur bei „Auswahl“: eine Möglichkeit je Zeile, höchstens 20."),
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Frage zur Anmeldung")
        verbose_name_plural = _("Fragen zur Anmeldung")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        options = self.option_list()
        if self.kind == QuestionKind.CHOICE:
            if len(options) < 2:
                raise ValidationError(
                    {"options": _("Eine Auswahl braucht mindestens zwei Möglichkeiten.")}
                )
            if len(options) > MAX_OPTIONS or any(len(o) > 100 for o in options):
                raise ValidationError(
                    {
                        "options": _(
                            "Höchstens 20 Möglichkeiten mit je höchstens 100 Zeichen, bitte."
                        )
                    }
                )
            if len(set(options)) != len(options):
                raise ValidationError({"options": _("Jede Möglichkeit bitte nur einmal.")})
        elif options:
            raise ValidationError(
                {"options": _("Möglichkeiten gibt es nur bei der Art „Auswahl“.")}
            )


class Answer(models.Model):
    """One registration's answer to one question (deleted with the registration)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("Anmeldung"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("Frage"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.CharField(_("Antwort"), max_length=ANSWER_MAX_LENGTH)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.value
