"""Measures (Maßnahmen): what a municipality implements, traceable to the input behind it.

The catalogue of a municipality is a tree: fields of action (Handlungsfelder) → goals
(Ziele) → measures (Maßnahmen). A measure's progress is a stored column (0–100, a
database check constraint), set by hand or computed from its weighted milestones by
``services``; goals and fields roll up the weighted progress of their measures
(``progress.rollup``), computed when a page is drawn, never stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

# The kinds of notification measures send (declared in ``measures.module``).
MEASURE_UPDATED = "measure_updated"
MEASURE_FROM_PROPOSAL = "measure_from_proposal"
MEASURE_FROM_ORIGIN = "measure_from_origin"

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10000


class StatusKind(models.TextChoices):
    """What a status means, whatever a municipality calls it (the default set's names)."""

    PLANNED = "planned", _("geplant")
    PREPARING = "preparing", _("in Vorbereitung")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    DONE = "done", _("umgesetzt")
    DEFERRED = "deferred", _("zurückgestellt")
    DISCARDED = "discarded", _("verworfen")


class Priority(models.TextChoices):
    HIGH = "high", _("hoch")
    MEDIUM = "medium", _("mittel")
    LOW = "low", _("niedrig")


class ProgressMode(models.TextChoices):
    MANUAL = "manual", _("von Hand")
    MILESTONES = "milestones", _("aus den Meilensteinen")


# The default set: (name, kind, requires_reason, order). Migration 0002 creates it;
# ``services.default_status`` creates a missing one again (a flushed test database).
DEFAULT_STATUSES = [
    ("geplant", StatusKind.PLANNED, False, 10),
    ("in Vorbereitung", StatusKind.PREPARING, False, 20),
    ("in Umsetzung", StatusKind.IN_PROGRESS, False, 30),
    ("umgesetzt", StatusKind.DONE, False, 40),
    ("zurückgestellt", StatusKind.DEFERRED, False, 50),
    ("verworfen", StatusKind.DISCARDED, True, 60),
]


class MeasureStatus(models.Model):
    """A status a measure can have. The default set (``organisation`` empty) is created by
    the migration and offered everywhere; a municipality adds its own names (each with the
    ``kind`` it stands for, so filters and colours keep working). A status with
    ``requires_reason`` (the default "verworfen") takes a public reason on the measure."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measure_statuses",
        help_text=_("Leer: Standardstatus für alle Kommunen."),
    )
    name = models.CharField(_("Bezeichnung"), max_length=60)
    kind = models.CharField(_("Bedeutung"), max_length=20, choices=StatusKind.choices)
    requires_reason = models.BooleanField(_("verlangt eine Begründung"), default=False)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Status einer Maßnahme")
        verbose_name_plural = _("Status der Maßnahmen")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="measure_status_name_per_org"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organisation__isnull=True),
                name="measure_status_default_name",
            ),
            # "verworfen" always asks for a reason, whatever the status is called.
            models.CheckConstraint(
                condition=~Q(kind="discarded") | Q(requires_reason=True),
                name="measure_status_discarded_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> Any:
        """The name shown: a default status in the reader's language, else its name."""
        return StatusKind(self.kind).label if self.organisation_id is None else self.name

    def clean(self) -> None:
        if self.kind == StatusKind.DISCARDED and not self.requires_reason:
            raise ValidationError(
                {"requires_reason": _("Ein verworfener Status verlangt immer eine Begründung.")}
            )


class FieldOfAction(TimeStampedModel):
    """A field of action (Handlungsfeld) of a municipality's catalogue, optionally of one
    project (INSEK 2035+, Klimaschutzagenda). Its progress rolls up its goals'."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="fields_of_action",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fields_of_action",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown."))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["order", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.project is not None and self.project.organisation_id != self.organisation_id:
            raise ValidationError(
                {"project": _("Der Beteiligungsprozess gehört zu einer anderen Kommune.")}
            )


class Goal(TimeStampedModel):
    """A goal (Ziel) within a field of action; its ``weight`` is its share in the field's
    progress."""

    field = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown."))
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Anteil am Fortschritt des Handlungsfelds (mindestens 1)."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["order", "title", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="goal_weight_min")]

    def __str__(self) -> str:
        return self.title


class MeasureQuerySet(models.QuerySet["Measure"]):
    def published(self) -> MeasureQuerySet:
        return self.filter(published=True)

    def for_listing(self) -> MeasureQuerySet:
        """What a measure in a list shows, in two queries (the Ortsteile prefetched)."""
        return self.select_related("status", "project", "goal__field").prefetch_related("districts")

    def visible_to(self, user: Any) -> MeasureQuerySet:
        """Published measures whose project (if any) the person may see; staff of the
        municipality (and superusers) see drafts too."""
        if getattr(user, "is_superuser", False):
            return self
        from mitmachen.organisations.models import Membership

        projects = Project.objects.visible_to(user).values("pk")
        condition = Q(published=True) & (Q(project__isnull=True) | Q(project__in=projects))
        if user.is_authenticated:
            condition |= Q(
                organisation__in=Membership.objects.filter(user=user).values("organisation")
            )
        return self.filter(condition)


class Measure(TimeStampedModel):
    """A measure (Maßnahme) of a goal: what is done, by whom, where, when, at what cost,
    and how far it has got.

    ``organisation`` repeats the goal's field's municipality (filters and permissions
    need it without joins; ``clean`` and the services keep it equal). ``progress`` is
    what pages show: ``progress_manual`` when ``progress_mode`` is manual, else the share
    of done milestones by weight (``services.measure_refresh_progress``). ``weight`` is
    the measure's share in its goal's progress. Measures whose status is "verworfen" count
    in no roll-up. ``proposals`` are the contributions it came from ("Wo es herkommt").
    Drafts (``published`` off) show only to the municipality's staff.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="measures"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("Ziel"), on_delete=models.CASCADE, related_name="measures"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown."))
    responsible = models.CharField(
        _("Verantwortlich"),
        max_length=200,
        blank=True,
        help_text=_("Fachbereich oder Partner, der die Maßnahme umsetzt."),
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("Ortsteile"), blank=True, related_name="measures"
    )
    latitude = models.FloatField(
        _("Breitengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("Längengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area = models.JSONField(
        _("Fläche"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: wo die Maßnahme wirkt, als GeoJSON-Polygon oder -MultiPolygon "
            "(Längen- und Breitengrade, WGS84). Erscheint auf der Karte der Maßnahmen."
        ),
    )
    cost = models.DecimalField(
        _("Kosten (Euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(_("Finanzierung"), max_length=200, blank=True)
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    planned_start = models.DateField(_("geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("geplantes Ende"), null=True, blank=True)
    actual_start = models.DateField(_("tatsächlicher Beginn"), null=True, blank=True)
    actual_end = models.DateField(_("tatsächliches Ende"), null=True, blank=True)
    status = models.ForeignKey(
        MeasureStatus, verbose_name=_("Status"), on_delete=models.PROTECT, related_name="+"
    )
    status_reason = models.TextField(
        _("Begründung des Status"),
        blank=True,
        help_text=_("Öffentlich; nötig etwa, wenn eine Maßnahme verworfen wird."),
    )
    progress_mode = models.CharField(
        _("Fortschritt"),
        max_length=12,
        choices=ProgressMode.choices,
        default=ProgressMode.MANUAL,
    )
    progress_manual = models.PositiveSmallIntegerField(
        _("Fortschritt von Hand (Prozent)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt (Prozent)"),
        default=0,
        editable=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Anteil am Fortschritt des Ziels (mindestens 1)."),
    )
    published = models.BooleanField(
        _("veröffentlicht"), default=False, help_text=_("Entwürfe sehen nur Mitarbeitende.")
    )
    is_demo = models.BooleanField(_("erfundenes Beispiel"), default=False, editable=False)
    proposals = models.ManyToManyField(
        Proposal,
        verbose_name=_("hervorgegangen aus den Vorschlägen"),
        blank=True,
        related_name="measures",
    )
    # The climate agenda's targets the measure works towards; the indicator page draws
    # the measures of each target (section "climate.target", ``measures.module``).
    climate_targets = models.ManyToManyField(
        "climate.Target",
        verbose_name=_("trägt bei zu den Klimazielen"),
        blank=True,
        related_name="measures",
        help_text=_("Zielwerte der Klima- und Umweltdaten derselben Kommune."),
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["goal__field__order", "goal__order", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="measure_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(progress_manual__gte=0) & Q(progress_manual__lte=100),
                name="measure_progress_manual_range",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="measure_weight_min"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="measure_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="measure_actual_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="measure_point_complete",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "published"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if not self.title.strip():
            errors["title"] = _("Bitte geben Sie einen Titel an.")
        if self.goal_id and self.goal.field.organisation_id != self.organisation_id:
            errors["goal"] = _("Das Ziel gehört zu einer anderen Kommune.")
        if self.project is not None and self.project.organisation_id != self.organisation_id:
            errors["project"] = _("Der Beteiligungsprozess gehört zu einer anderen Kommune.")
        if self.status_id:
            status = self.status
            if status.organisation_id not in (None, self.organisation_id):
                errors["status"] = _("Diesen Status gibt es in dieser Kommune nicht.")
            elif status.requires_reason and not self.status_reason.strip():
                errors["status_reason"] = _(
                    "Bitte begründen Sie öffentlich, warum die Maßnahme „%(status)s“ ist."
                ) % {"status": status.name}
        if not 0 <= self.progress_manual <= 100:
            errors["progress_manual"] = _("Der Fortschritt liegt zwischen 0 und 100 Prozent.")
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if (
                getattr(self, start)
                and getattr(self, end)
                and getattr(self, end) < getattr(self, start)
            ):
                errors[end] = _("Das Ende liegt vor dem Beginn.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Ein Kartenpunkt braucht Breiten- und Längengrad.")
        if self.area is not None:
            from mitmachen.measures.maps import area_problem

            if problem := area_problem(self.area):
                errors["area"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def is_discarded(self) -> bool:
        return self.status.kind == StatusKind.DISCARDED


class Milestone(models.Model):
    """A step of a measure with a date and a done flag; ``weight`` is its share in the
    measure's progress when that is computed from the milestones."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    due = models.DateField(_("Datum"), null=True, blank=True)
    done = models.BooleanField(_("erledigt"), default=False)
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = [models.F("due").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="milestone_weight_min")
        ]

    def __str__(self) -> str:
        return self.title


class MeasureUpdate(models.Model):
    """An entry of a measure's public timeline, posted by staff; a status change made
    with it is recorded (``status``, with its reason in the text)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measure_updates",
    )
    text = models.TextField(_("Text"), max_length=TEXT_MAX_LENGTH, help_text=_("Markdown."))
    status = models.ForeignKey(
        MeasureStatus,
        verbose_name=_("neuer Status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True)
    # Set when staff correct the text afterwards; the timeline says "bearbeitet am …".
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Neuigkeit zur Maßnahme")
        verbose_name_plural = _("Neuigkeiten zu Maßnahmen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.created_at:%Y-%m-%d}"


class DocumentKind(models.TextChoices):
    """The document formats an update takes, recognised by their content."""

    PDF = "pdf", "PDF"
    ODT = "odt", "ODT"
    DOCX = "docx", "DOCX"


DOCUMENT_MIME_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.ODT: "application/vnd.oasis.opendocument.text",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class MeasureUpdateImage(models.Model):
    """A photo of an update, shown in the measure's public timeline and its feed.

    Stored re-encoded without metadata (``core.images.sanitise_image``: EXIF and GPS
    gone, at most 2400 px) under a random name; ``alt_text`` is required (a database
    check too). The file is deleted from storage with the row (``signals``)."""

    update = models.ForeignKey(
        MeasureUpdate, verbose_name=_("Neuigkeit"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        _("Bild"),
        upload_to=RandomName("measures/updates/%Y/%m/"),
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("Breite"), default=0, editable=False)
    height = models.PositiveIntegerField(_("Höhe"), default=0, editable=False)
    alt_text = models.CharField(_("Bildbeschreibung"), max_length=250)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bild einer Neuigkeit")
        verbose_name_plural = _("Bilder von Neuigkeiten")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="measure_image_alt_text")
        ]

    def __str__(self) -> str:
        return self.alt_text


class MeasureUpdateDocument(models.Model):
    """A document of an update (PDF, ODT or DOCX, recognised by its content; a PDF is
    stored rewritten without active content). Offered as a download in the timeline and
    as an enclosure in the feed; deleted from storage with the row (``signals``)."""

    update = models.ForeignKey(
        MeasureUpdate,
        verbose_name=_("Neuigkeit"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(_("Datei"), upload_to=RandomName("measures/documents/%Y/%m/"))
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Format"), max_length=4, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Dokument einer Neuigkeit")
        verbose_name_plural = _("Dokumente von Neuigkeiten")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def mime_type(self) -> str:
        return DOCUMENT_MIME_TYPES[DocumentKind(self.kind)]


class MeasureFollow(TimeStampedModel):
    """A person follows a measure: its updates and status changes reach them."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="measure_follows",
    )

    class Meta:
        verbose_name = _("Maßnahmen-Abonnement")
        verbose_name_plural = _("Maßnahmen-Abonnements")
        constraints = [
            models.UniqueConstraint(fields=["measure", "user"], name="one_follow_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.measure_id}"


class MeasureOrigin(models.Model):
    """A contribution of another module that a measure came from (a debate, a budget
    idea …): the row's content type and id, its kind declared by its module
    (``projects.origins.OriginKind``) so that measures imports none of them. Proposals
    keep their own relation (``Measure.proposals``). The row goes when its origin is
    deleted (``signals``) or its measure."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="origins"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("Art"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("Nummer"))
    created_at = models.DateTimeField(_("verknüpft am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Herkunft einer Maßnahme")
        verbose_name_plural = _("Herkunft von Maßnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "content_type", "object_id"], name="one_origin_per_measure"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.measure_id}"


class ImportState(models.TextChoices):
    CHECKING = "checking", _("wird geprüft")
    PREVIEWED = "previewed", _("Vorschau")
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("abgeschlossen")
    FAILED = "failed", _("fehlgeschlagen")


class MeasureImport(models.Model):
    """An uploaded measure list between its preview and the confirmation, and, for a big
    file, while background tasks check and import it (``state``, ``rows_done`` of
    ``rows_total``, the preview's ``summary``, the German ``message`` at the end).

    Kept in the database so the confirmation and the task may run on any server. A
    preview is discarded after a day; the file of a finished import is dropped.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(_("Dateiname"), max_length=200)
    data = models.BinaryField(_("Inhalt"))
    state = models.CharField(
        _("Stand"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEWED
    )
    rows_total = models.PositiveIntegerField(_("Zeilen"), default=0)
    rows_done = models.PositiveIntegerField(_("Zeilen geprüft"), default=0)
    message = models.TextField(_("Ergebnis"), blank=True)
    # The preview of a file checked in the background (``imports.Parsed.summary``).
    summary = models.JSONField(_("Vorschau"), default=dict, blank=True)
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Import von Maßnahmen")
        verbose_name_plural = _("Importe von Maßnahmen")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_active(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.QUEUED, ImportState.RUNNING)
