"""Series of dates (``Series``) and the Mitmachmobil's tours (``Tour``)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.events.models.choices import (
    DESCRIPTION_MAX_LENGTH,
    WEEKDAY_NAMES,
    Frequency,
    WeekOfMonth,
)
from mitmachen.organisations.models import Organisation


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
