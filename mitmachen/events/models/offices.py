"""Project offices (``Office``) with their weekly hours and closures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.events.models.choices import WEEKDAY_NAMES
from mitmachen.organisations.models import District, Organisation


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
    closed_on_holidays = models.BooleanField(
        _("an Feiertagen geschlossen"),
        default=True,
        help_text=_(
            "Die gesetzlichen Feiertage in Brandenburg werden berechnet: An ihnen ist das "
            "Büro geschlossen, ohne dass Sie Schließtage eintragen. Schließtage braucht es "
            "nur noch für Urlaub, Brückentage und Ähnliches."
        ),
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
        return reverse("events:office", args=[self.pk])

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
