"""What came out of an event: its documentation and the photos."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.events.models.events import Event

SUMMARY_MAX_LENGTH = 20000
MAX_DOCUMENTATION_IMAGES = 12
ALT_TEXT_MAX_LENGTH = 250
MAX_PARTICIPANTS = 100000


class Documentation(TimeStampedModel):
    """ "Was dabei herauskam": what staff publish after an event – a summary (Markdown),
    optionally the number of participants, the protocol as a PDF (validated and
    rewritten, ``core.documents``) and photos, each with a required description
    (``DocumentationImage``).

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
    participants = models.PositiveIntegerField(
        _("Zahl der Teilnehmenden"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PARTICIPANTS)],
        help_text=_("Wie viele Menschen da waren (gezählt oder geschätzt); leer: nicht gezählt."),
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
