"""Municipalities (tenants), their staff roles and their Ortsteile."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.sign_language import validate_captions, validate_sign_language_video

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Bitte eine Farbe im Format #RRGGBB angeben, z. B. #004b76.")
)


class Organisation(TimeStampedModel):
    """A municipality (Kommune) or other body running participation processes.

    One installation serves several organisations; each has its own branding,
    staff and legal pages. Exactly one may be the operator whose legal pages the
    platform-wide footer links to.
    """

    name = models.CharField(_("Name"), max_length=120, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    slug = models.SlugField(_("Kurzbezeichnung in der Adresse"), max_length=60, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown."))
    logo = models.ImageField(_("Logo"), upload_to=RandomName("organisations/logos/"), blank=True)
    logo_alt = models.CharField(
        _("Alternativtext des Logos"),
        max_length=200,
        blank=True,
        help_text=_("Beschreibt das Logo für Menschen, die es nicht sehen können."),
    )
    primary_color = models.CharField(
        _("Hauptfarbe"),
        max_length=7,
        default="#004b76",
        validators=[hex_colour],
        help_text=_("Muss auf Weiß einen Kontrast von mindestens 4,5 : 1 haben."),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_phone = models.CharField(_("Kontakttelefon"), max_length=40, blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    imprint = models.TextField(_("Impressum"), blank=True, help_text=_("Markdown."))
    privacy = models.TextField(_("Datenschutzerklärung"), blank=True, help_text=_("Markdown."))
    accessibility = models.TextField(
        _("Erklärung zur Barrierefreiheit"), blank=True, help_text=_("Markdown.")
    )
    accessibility_created = models.DateField(
        _("Erklärung zur Barrierefreiheit erstellt am"),
        null=True,
        blank=True,
        help_text=_("Datum, an dem die Erklärung erstellt wurde."),
    )
    accessibility_reviewed = models.DateField(
        _("Erklärung zuletzt überprüft am"),
        null=True,
        blank=True,
        help_text=_("Datum der letzten Überprüfung, mindestens einmal im Jahr."),
    )
    accessibility_easy = models.TextField(
        _("Was noch nicht barrierefrei ist, in Leichter Sprache"),
        blank=True,
        help_text=_(
            "Markdown. Erscheint in der Erklärung zur Barrierefreiheit in Leichter Sprache. "
            "Kurze Sätze, ein Gedanke pro Satz, keine Abkürzungen."
        ),
    )
    enforcement_name = models.CharField(
        _("Durchsetzungsstelle: Name"),
        max_length=250,
        blank=True,
        help_text=_(
            "Die Stelle des Landes für das Durchsetzungs- oder Schlichtungsverfahren, "
            "z. B. die Landesbeauftragte für die Belange der Menschen mit Behinderungen."
        ),
    )
    enforcement_address = models.TextField(_("Durchsetzungsstelle: Anschrift"), blank=True)
    enforcement_email = models.EmailField(_("Durchsetzungsstelle: E-Mail"), blank=True)
    enforcement_phone = models.CharField(
        _("Durchsetzungsstelle: Telefon"), max_length=40, blank=True
    )
    enforcement_url = models.URLField(_("Durchsetzungsstelle: Webseite"), blank=True)
    sign_language_video = models.FileField(
        _("Video in Deutscher Gebärdensprache"),
        upload_to=RandomName("organisations/gebaerdensprache/"),
        blank=True,
        validators=[validate_sign_language_video],
        help_text=_("MP4 oder WebM, höchstens 200 MB."),
    )
    sign_language_captions = models.FileField(
        _("Untertitel zum Video (WebVTT)"),
        upload_to=RandomName("organisations/gebaerdensprache/"),
        blank=True,
        validators=[validate_captions],
        help_text=_("Datei im Format WebVTT (.vtt), beginnt mit „WEBVTT“, höchstens 1 MB."),
    )
    sign_language_transcript = models.TextField(
        _("Abschrift des Videos"),
        blank=True,
        help_text=_("Markdown. Der gesprochene und gebärdete Inhalt des Videos als Text."),
    )
    is_operator = models.BooleanField(
        _("betreibt die Plattform"),
        default=False,
        help_text=_("Die Rechtstexte dieser Kommune gelten für die gesamte Plattform."),
    )

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_operator"], condition=Q(is_operator=True), name="one_operator"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.primary_color and re.match(hex_colour.regex, self.primary_color):
            if contrast_ratio(self.primary_color, "#ffffff") < 4.5:
                errors["primary_color"] = _(
                    "Die Farbe ist auf Weiß zu hell (Kontrast unter 4,5 : 1)."
                )
        if (
            self.accessibility_created
            and self.accessibility_reviewed
            and self.accessibility_reviewed < self.accessibility_created
        ):
            errors["accessibility_reviewed"] = _(
                "Die Überprüfung kann nicht vor der Erstellung der Erklärung liegen."
            )
        if self.sign_language_video:
            # Without captions and a transcript the video excludes people who cannot see
            # or hear it; the page then says honestly that the video is in preparation.
            if not self.sign_language_captions:
                errors["sign_language_captions"] = _(
                    "Bitte laden Sie zum Video auch die Untertitel (WebVTT) hoch."
                )
            if not self.sign_language_transcript.strip():
                errors["sign_language_transcript"] = _(
                    "Bitte geben Sie zum Video auch die Abschrift ein."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def has_sign_language_video(self) -> bool:
        return bool(self.sign_language_video and self.sign_language_captions)

    @property
    def sign_language_video_type(self) -> str:
        name = self.sign_language_video.name or ""
        return "video/webm" if name.lower().endswith(".webm") else "video/mp4"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration")
    PROJECT_MANAGER = "project_manager", _("Projektleitung")
    MODERATOR = "moderator", _("Moderation")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user: Any) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Membership(TimeStampedModel):
    """A staff role of a person in an organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitarbeit")
        verbose_name_plural = _("Mitarbeitende")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_role_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class District(TimeStampedModel):
    """An Ortsteil: part of a municipality with a boundary polygon (GeoJSON, WGS84).

    The bounding box is stored alongside the geometry so that a point lookup only
    tests the few polygons whose box contains the point.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="districts",
    )
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzbezeichnung in der Adresse"), max_length=80)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown."))
    geometry = models.JSONField(
        _("Grenze (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("GeoJSON-Geometrie (Polygon oder MultiPolygon) in WGS84."),
    )
    is_demo_boundary = models.BooleanField(
        _("Demo-Grenze"),
        default=False,
        help_text=_("Die Grenze ist eine ungefähre Darstellung, keine amtliche Grenze."),
    )
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Ortsteil")
        verbose_name_plural = _("Ortsteile")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="district_slug_per_org"),
            models.UniqueConstraint(fields=["organisation", "name"], name="district_name_per_org"),
        ]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisations:district",
            kwargs={"slug": self.organisation.slug, "district_slug": self.slug},
        )

    def clean(self) -> None:
        super().clean()
        if self.geometry is not None:
            from mitmachen.organisations.geo import GeometryError, parse_area

            try:
                parse_area(self.geometry)
            except GeometryError as error:
                raise ValidationError({"geometry": str(error)}) from error

    def save(self, *args: Any, **kwargs: Any) -> None:
        from mitmachen.organisations.geo import bounds_of

        if self.geometry:
            self.min_lon, self.min_lat, self.max_lon, self.max_lat = bounds_of(self.geometry)
        else:
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
        if kwargs.get("update_fields") is not None and "geometry" in kwargs["update_fields"]:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "min_lon",
                "min_lat",
                "max_lon",
                "max_lat",
            }
        super().save(*args, **kwargs)


class AccessibilityFeedback(TimeStampedModel):
    """A message sent through the feedback form of the accessibility statement."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="accessibility_feedback",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("Name"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(
        _("Nachricht"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    handled = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} – {self.message[:40]}"
