"""The choices and limits the event models share: kinds, statuses, the venue's
accessibility, the series rule's parts and the registration states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class RegistrationStatus(models.TextChoices):
    PENDING = "unbestaetigt", _("noch nicht bestätigt")
    CONFIRMED = "angemeldet", _("angemeldet")
    WAITLISTED = "warteliste", _("auf der Warteliste")
