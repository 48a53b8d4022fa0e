"""The event itself (``Event``) and its reusable reads (``EventQuerySet``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.events.models.choices import (
    ACCESSIBILITY,
    DESCRIPTION_MAX_LENGTH,
    IN_PERSON_KINDS,
    MAX_CAPACITY,
    ONLINE_KINDS,
    Kind,
    RegistrationStatus,
    Status,
)
from mitmachen.events.models.series import Series, Tour
from mitmachen.events.route import validate as validate_route
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project


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
    route = models.JSONField(
        _("Route"),
        null=True,
        blank=True,
        help_text=_(
            "Nur für einen Stadtrundgang: ein Punkt je Zeile – Breitengrad, Längengrad und, "
            "wo ein Halt ist, sein Name, zum Beispiel „52.14220, 12.59560 Marktplatz“. "
            "Der erste Punkt ist der Treffpunkt. Höchstens 200 Punkte."
        ),
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

    # Not a field: set only by ``services.past_event_record`` on a new event, so a meeting
    # entered after it took place may start in the past. Every other path (the admin,
    # ``event_create``, series) keeps the rule that a new event starts in the future.
    recorded_afterwards = False

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
            # Only a city walk has a route.
            models.CheckConstraint(
                condition=Q(route__isnull=True) | Q(kind="stadtrundgang"),
                name="event_route_only_city_walks",
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
        if (
            self._state.adding
            and not self.recorded_afterwards
            and self.starts_at
            and self.starts_at < timezone.now()
        ):
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
        if self.route is not None:
            errors.update(self._route_errors())
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

    def _route_errors(self) -> dict[str, str | Promise]:
        """Only a city walk has a route, and it is a valid line (``events.route``)."""
        if self.kind != Kind.CITY_WALK:
            return {"route": _("Eine Route gibt es nur bei einem Stadtrundgang.")}
        try:
            validate_route(self.route)
        except ValidationError as error:
            return {"route": error.messages[0]}
        return {}

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
