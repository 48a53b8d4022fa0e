"""Events (Veranstaltungen): where and when residents can take part in person or online,
and the registrations for them."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project

DESCRIPTION_MAX_LENGTH = 10000
MAX_CAPACITY = 10000


class Kind(models.TextChoices):
    WORKSHOP_MEETING = "werkstatttreffen", _("Werkstatttreffen")
    WORKSHOP = "workshop", _("Workshop")
    CITY_WALK = "stadtrundgang", _("Stadtrundgang")
    MARKET_STAND = "marktstand", _("Marktstand")
    VAN_STOP = "mitmachmobil", _("Mitmachmobil-Halt")
    OFFICE_HOURS = "sprechstunde", _("Sprechstunde im Projektbüro")
    CONFERENCE = "fachveranstaltung", _("Fachveranstaltung")
    ONLINE = "online", _("Online-Veranstaltung")
    HYBRID = "hybrid", _("Hybrid (vor Ort und online)")


# Kinds that take place online (a link is needed) and kinds that take place at a venue.
ONLINE_KINDS = {Kind.ONLINE, Kind.HYBRID}
IN_PERSON_KINDS = set(Kind) - {Kind.ONLINE}


class Status(models.TextChoices):
    PLANNED = "geplant", _("geplant")
    CANCELLED = "abgesagt", _("abgesagt")
    POSTPONED = "verschoben", _("verschoben")


# The venue's accessibility: field name, German label, the icon's name (static/events/).
ACCESSIBILITY = (
    ("step_free", _("Stufenloser Zugang"), "step-free"),
    ("hearing_loop", _("Induktive Hörschleife"), "hearing-loop"),
    ("sign_language", _("Gebärdensprache auf Anfrage"), "sign-language"),
    ("childcare", _("Kinderbetreuung"), "childcare"),
)


MAX_SERIES_DATES = 100  # dates one series may create; more is refused with a message


class Frequency(models.TextChoices):
    WEEKLY = "woechentlich", _("wöchentlich")
    MONTHLY = "monatlich", _("monatlich")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("1.")
    SECOND = 2, _("2.")
    THIRD = 3, _("3.")
    FOURTH = 4, _("4.")
    LAST = -1, _("letzten")


WEEKDAY_NAMES = (
    _("Montag"),
    _("Dienstag"),
    _("Mittwoch"),
    _("Donnerstag"),
    _("Freitag"),
    _("Samstag"),
    _("Sonntag"),
)


class Series(TimeStampedModel):
    """Recurring dates of one event, e.g. the monthly Werkstatttreffen "jeden 2. Dienstag".

    Staff plan the first date as an ordinary event, then define the rule here; the
    service (``services.series_create``) generates one ``Event`` per further date with
    python-dateutil's ``rrule``, copying the first date's fields, projects and questions
    and keeping its local start and end time (Europe/Berlin) across the daylight-saving
    change. Each date is then an event of its own: it can be cancelled or moved (and its
    registered people are told) without touching the others.

    The weekday of the rule is the first date's weekday; ``week_of_month`` (monthly
    only) picks the 1st to 4th or the last such weekday of the month.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="series"
    )
    title = models.CharField(_("Titel der Reihe"), max_length=200)
    frequency = models.CharField(
        _("Wiederholung"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    interval = models.PositiveSmallIntegerField(
        _("Abstand"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1: jede Woche bzw. jeden Monat, 2: jede zweite …"),
    )
    week_of_month = models.SmallIntegerField(
        _("Woche im Monat"),
        null=True,
        blank=True,
        choices=WeekOfMonth.choices,
        help_text=_("Nur monatlich: zum Beispiel der 2. Dienstag im Monat."),
    )
    until = models.DateField(_("Letzter möglicher Termin"))

    class Meta:
        verbose_name = _("Terminreihe")
        verbose_name_plural = _("Terminreihen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency="woechentlich", week_of_month__isnull=True)
                | Q(frequency="monatlich", week_of_month__isnull=False),
                name="series_week_of_month_only_monthly",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def describe(self, weekday: int) -> str:
        """The rule in words: "jeden 2. Dienstag im Monat", "jede 2. Woche am Montag"."""
        day = WEEKDAY_NAMES[weekday]
        if self.frequency == Frequency.WEEKLY:
            if self.interval == 1:
                return str(_("jeden %(day)s") % {"day": day})
            return str(_("alle %(n)s Wochen am %(day)s") % {"n": self.interval, "day": day})
        position = WeekOfMonth(self.week_of_month or WeekOfMonth.FIRST).label
        if self.interval == 1:
            return str(_("jeden %(pos)s %(day)s im Monat") % {"pos": position, "day": day})
        return str(
            _("alle %(n)s Monate am %(pos)s %(day)s")
            % {"n": self.interval, "pos": position, "day": day}
        )


class TourQuerySet(models.QuerySet["Tour"]):
    def visible_to(self, user: Any) -> TourQuerySet:
        """Published tours, and the drafts of the municipalities where ``user`` is staff."""
        if not user.is_authenticated:
            return self.filter(is_published=True)
        if user.is_superuser:
            return self
        from mitmachen.events.permissions import staff_organisations

        return self.filter(Q(is_published=True) | Q(organisation__in=staff_organisations(user)))


class Tour(TimeStampedModel):
    """A tour of the Mitmachmobil: a timetable of stops across the Ortsteile.

    Each stop is an ``Event`` of the kind "Mitmachmobil-Halt" with ``tour`` set, so a
    stop has what every event has – its Ortsteil, place and map point, its times in
    Europe/Berlin, its status (a cancelled stop stays in the timetable with its note),
    registration if staff want it, documentation afterwards. The services keep a tour's
    stops apart in time (``services.event_save`` locks the tour row while it checks).
    The tour page shows the stops as a table and on a map, and has an iCal feed.
    Drafts (``is_published`` off) are seen only by the municipality's staff.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="tours"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text=_("Höchstens 10.000 Zeichen; Markdown."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Entwürfe sehen nur die Mitarbeitenden der Kommune."),
    )

    objects = TourQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitmachmobil-Tour")
        verbose_name_plural = _("Mitmachmobil-Touren")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:tour", args=[self.pk])


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: Any) -> EventQuerySet:
        """Published events, and the drafts of the municipalities where ``user`` is staff."""
        if not user.is_authenticated:
            return self.published()
        if user.is_superuser:
            return self
        from mitmachen.events.permissions import staff_organisations

        return self.filter(Q(is_published=True) | Q(organisation__in=staff_organisations(user)))

    def upcoming(self, now: Any = None) -> EventQuerySet:
        """Events that have not ended yet (a running event is still worth finding)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def for_listing(self) -> EventQuerySet:
        """What an event in a list shows, in one query."""
        return self.select_related("organisation", "district").order_by("starts_at", "pk")

    def with_counts(self) -> EventQuerySet:
        """Confirmed and waitlisted registrations as ``confirmed_count``/``waitlist_count``."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )


class Event(TimeStampedModel):
    """A meeting residents can come to: a Werkstatttreffen, a market stand, a city walk,
    an online conference.

    It belongs to a municipality and optionally to projects and an Ortsteil. It takes
    place at a venue (name, address, optional map point), online (a link, which staff
    may show only to registered people), or both (hybrid). Start and end are aware
    datetimes, shown in Europe/Berlin. A cancelled or postponed event stays visible
    with its status and a note.

    Staff switch registration on; ``capacity`` (empty: unlimited) bounds the confirmed
    registrations, everyone after that is on the waitlist (``Registration``). The
    venue's accessibility is structured (``ACCESSIBILITY``), shown with icons and text.
    Drafts (``is_published`` off) are seen only by the municipality's staff.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="events"
    )
    projects = models.ManyToManyField(
        Project,
        verbose_name=_("Beteiligungsprozesse"),
        blank=True,
        related_name="events",
        help_text=_("Die Beteiligungsprozesse, zu denen die Veranstaltung gehört."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text=_("Höchstens 10.000 Zeichen; Markdown."),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place_name = models.CharField(
        _("Ort"), max_length=200, blank=True, help_text=_("Zum Beispiel „Rathaus, Saal 1“.")
    )
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    lat = models.FloatField(
        _("Breitengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("Längengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    online_url = models.URLField(_("Link zur Online-Teilnahme"), blank=True)
    online_url_registered_only = models.BooleanField(
        _("Link nur für Angemeldete"),
        default=False,
        help_text=_("Der Link erscheint nur für Personen, die sich angemeldet haben."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    status_note = models.CharField(
        _("Hinweis zum Status"),
        max_length=500,
        blank=True,
        help_text=_("Bei Absage oder Verschiebung: warum, und wann es weitergeht."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Entwürfe sehen nur die Mitarbeitenden der Kommune."),
    )
    step_free = models.BooleanField(_("Stufenloser Zugang"), default=False)
    hearing_loop = models.BooleanField(_("Induktive Hörschleife"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprache auf Anfrage"), default=False)
    childcare = models.BooleanField(_("Kinderbetreuung"), default=False)
    registration_enabled = models.BooleanField(_("Anmeldung"), default=False)
    capacity = models.PositiveIntegerField(
        _("Plätze"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("Leer lassen für unbegrenzt. Wer danach kommt, steht auf der Warteliste."),
    )

    series = models.ForeignKey(
        Series,
        verbose_name=_("Terminreihe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        editable=False,
    )
    tour = models.ForeignKey(
        Tour,
        verbose_name=_("Mitmachmobil-Tour"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stops",
        help_text=_("Nur für einen Mitmachmobil-Halt: die Tour, zu der er gehört."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="event_point_complete",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            # Only a Mitmachmobil stop belongs to a tour.
            models.CheckConstraint(
                condition=Q(tour__isnull=True) | Q(kind="mitmachmobil"),
                name="event_tour_only_van_stops",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "ends_at"]),
            models.Index(fields=["organisation", "ends_at"]),
            models.Index(fields=["district", "ends_at"]),
            models.Index(fields=["tour", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
        if self._state.adding and self.starts_at and self.starts_at < timezone.now():
            errors["starts_at"] = _(
                "Eine neue Veranstaltung kann nicht in der Vergangenheit beginnen."
            )
        if self.kind in ONLINE_KINDS and not self.online_url:
            errors["online_url"] = _("Bitte geben Sie den Link zur Online-Teilnahme an.")
        if self.kind in IN_PERSON_KINDS and not self.place_name.strip():
            errors["place_name"] = _("Bitte geben Sie an, wo die Veranstaltung stattfindet.")
        if (self.lat is None) != (self.lon is None):
            errors["lon"] = _("Ein Kartenpunkt braucht Breiten- und Längengrad.")
        district = self.district if self.district_id else None
        if (
            district is not None
            and self.organisation_id
            and district.organisation_id != self.organisation_id
        ):
            errors["district"] = _("Dieser Ortsteil gehört nicht zu dieser Kommune.")
        if self.status != Status.PLANNED and not self.status_note.strip():
            errors["status_note"] = _(
                "Bitte schreiben Sie, warum die Veranstaltung abgesagt oder verschoben ist."
            )
        if self.tour_id is not None:
            errors.update(self._tour_errors())
        if self.capacity is not None and not self.registration_enabled:
            errors["capacity"] = _("Plätze gibt es nur mit Anmeldung.")
        if self.online_url_registered_only and not self.registration_enabled:
            errors["online_url_registered_only"] = _(
                "Nur mit Anmeldung kann der Link Angemeldeten vorbehalten sein."
            )
        if errors:
            raise ValidationError(errors)

    def _tour_errors(self) -> dict[str, str | Promise]:
        """A stop of a tour: a Mitmachmobil stop of the tour's municipality, in an
        Ortsteil, with a map point (the tour's map shows every stop)."""
        errors: dict[str, str | Promise] = {}
        if self.kind != Kind.VAN_STOP:
            errors["kind"] = _(
                "Zu einer Tour gehören nur Veranstaltungen der Art „Mitmachmobil-Halt“."
            )
        tour = self.tour
        if (
            tour is not None
            and self.organisation_id
            and tour.organisation_id != self.organisation_id
        ):
            errors["tour"] = _("Diese Tour gehört zu einer anderen Kommune.")
        if not self.district_id:
            errors["district"] = _("Bitte geben Sie an, in welchem Ortsteil das Mitmachmobil hält.")
        if self.lat is None and self.lon is None:
            errors["lat"] = _(
                "Ein Halt der Tour braucht einen Kartenpunkt (Breiten- und Längengrad)."
            )
        return errors

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.kind in ONLINE_KINDS

    @property
    def is_in_person(self) -> bool:
        return self.kind in IN_PERSON_KINDS

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    def accessibility(self) -> list[dict[str, Any]]:
        """The venue's accessibility features it has, with label and icon."""
        return [
            {"field": name, "label": label, "icon": icon}
            for name, label, icon in ACCESSIBILITY
            if getattr(self, name)
        ]


class RegistrationStatus(models.TextChoices):
    PENDING = "unbestaetigt", _("noch nicht bestätigt")
    CONFIRMED = "angemeldet", _("angemeldet")
    WAITLISTED = "warteliste", _("auf der Warteliste")


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


SUMMARY_MAX_LENGTH = 20000
MAX_DOCUMENTATION_IMAGES = 12
ALT_TEXT_MAX_LENGTH = 250


class Documentation(TimeStampedModel):
    """ "Was dabei herauskam": what staff publish after an event – a summary (Markdown),
    optionally the protocol as a PDF (validated and rewritten, ``core.documents``) and
    photos, each with a required description (``DocumentationImage``).

    Shown on the event page once the event is over, and in the calendar's "Rückblick".
    Written by ``services.documentation_save``; the first save tells the people registered
    with an account and the followers of the event's projects (in-app)."""

    event = models.OneToOneField(
        Event,
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="documentation",
    )
    summary = models.TextField(
        _("Was dabei herauskam"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Höchstens 20.000 Zeichen; Markdown."),
    )
    protocol = models.FileField(
        _("Protokoll (PDF)"), upload_to=RandomName("events/protocols/%Y/"), blank=True
    )
    protocol_size = models.PositiveIntegerField(_("Größe in Bytes"), null=True, blank=True)
    protocol_pages = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)

    class Meta:
        verbose_name = _("Dokumentation")
        verbose_name_plural = _("Dokumentationen")
        constraints = [
            # The size and page count describe the stored protocol: all three or none.
            models.CheckConstraint(
                condition=Q(protocol="", protocol_size__isnull=True, protocol_pages__isnull=True)
                | (~Q(protocol="") & Q(protocol_size__isnull=False, protocol_pages__isnull=False)),
                name="documentation_protocol_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


class DocumentationImage(TimeStampedModel):
    """A photo of the event, stored without metadata (``core.images``), with the text that
    describes it for people who cannot see it (required, a database check too)."""

    documentation = models.ForeignKey(
        Documentation,
        verbose_name=_("Dokumentation"),
        on_delete=models.CASCADE,
        related_name="images",
    )
    image = models.ImageField(_("Bild"), upload_to=RandomName("events/images/%Y/"))
    alt_text = models.CharField(_("Bildbeschreibung"), max_length=ALT_TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("Bild der Dokumentation")
        verbose_name_plural = _("Bilder der Dokumentation")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="documentation_image_has_alt_text"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text


class OfficeQuerySet(models.QuerySet["Office"]):
    def visible_to(self, user: Any) -> OfficeQuerySet:
        """Published offices, and the drafts of the municipalities where ``user`` is staff."""
        if not user.is_authenticated:
            return self.filter(is_published=True)
        if user.is_superuser:
            return self
        from mitmachen.events.permissions import staff_organisations

        return self.filter(Q(is_published=True) | Q(organisation__in=staff_organisations(user)))

    def with_hours(self, today: Any) -> OfficeQuerySet:
        """With their weekly hours and the closures from ``today`` on, in three queries
        however many offices (what ``opening_hours.state`` needs)."""
        return self.select_related("organisation", "district").prefetch_related(
            "hours",
            models.Prefetch(
                "closures",
                queryset=Closure.objects.filter(ends_on__gte=today).order_by("starts_on", "pk"),
            ),
        )


class Office(TimeStampedModel):
    """A project office (Projektbüro, Ladengeschäft): a place where residents can drop in.

    It has an address and a map point, a contact person with phone and e-mail address,
    and structured opening hours: a weekly pattern (``OpeningHours``, local time in
    Europe/Berlin) and closures for holidays and leave (``Closure``). Whether it is open
    now is computed from these (``opening_hours.state``). Shown on its municipality's
    page, on its Ortsteil's page and in the footer of every page. The contact is the
    office's (a role, not an account): it is staff's text, not a resident's data.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="offices"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offices",
    )
    name = models.CharField(
        _("Name"), max_length=200, help_text=_("Zum Beispiel „Projektbüro Bad Belzig“.")
    )
    address = models.CharField(_("Adresse"), max_length=300)
    lat = models.FloatField(
        _("Breitengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("Längengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    note = models.CharField(
        _("Hinweis"),
        max_length=300,
        blank=True,
        help_text=_("Zum Beispiel „Stufenloser Eingang über den Hof“ oder „Demo-Daten“."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Entwürfe sehen nur die Mitarbeitenden der Kommune."),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Projektbüro")
        verbose_name_plural = _("Projektbüros")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="office_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.organisation.get_absolute_url()}#projektbuero-{self.pk}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if (self.lat is None) != (self.lon is None):
            errors["lon"] = _("Ein Kartenpunkt braucht Breiten- und Längengrad.")
        district = self.district if self.district_id else None
        if (
            district is not None
            and self.organisation_id
            and district.organisation_id != self.organisation_id
        ):
            errors["district"] = _("Dieser Ortsteil gehört nicht zu dieser Kommune.")
        if not (self.phone.strip() or self.email.strip()):
            errors["phone"] = _("Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an.")
        if errors:
            raise ValidationError(errors)


class OpeningHours(models.Model):
    """One opening interval on a weekday, in local time (Europe/Berlin): "Dienstag
    10:00–13:00". A day may have several (a lunch break); they must not overlap."""

    office = models.ForeignKey(
        Office, verbose_name=_("Projektbüro"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("Wochentag"), choices=[(i, name) for i, name in enumerate(WEEKDAY_NAMES)]
    )
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))

    class Meta:
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")
        ordering = ["weekday", "opens", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        super().clean()
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("Die Öffnungszeit muss nach ihrem Beginn enden.")})


class Closure(models.Model):
    """Days an office is closed despite its weekly hours (holidays, leave), both days
    included, with the reason residents read ("Weihnachten")."""

    office = models.ForeignKey(
        Office, verbose_name=_("Projektbüro"), on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("geschlossen vom"))
    ends_on = models.DateField(_("bis einschließlich"))
    reason = models.CharField(
        _("Grund"), max_length=120, help_text=_("Zum Beispiel „Ostermontag“.")
    )

    class Meta:
        verbose_name = _("Schließtag")
        verbose_name_plural = _("Schließtage")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["office", "ends_on"])]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("Der letzte Schließtag darf nicht vor dem ersten liegen.")}
            )
