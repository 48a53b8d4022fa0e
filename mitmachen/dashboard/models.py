"""The stored council reports (``report_services``): the dashboard's only model."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.uploads import RandomName
from mitmachen.projects.models import Project


class ReportState(models.TextChoices):
    QUEUED = "queued", _("wartet auf die Erstellung")
    RUNNING = "running", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("Erstellung fehlgeschlagen")


class CouncilReport(models.Model):
    """One council report of a project ("Bericht für den Gemeinderat"): a PDF and an XLSX
    file made in the background from the project's data as it stood at ``data_as_of``
    (``data_version``: the project's page-cache data version then, see
    ``core.page_cache.data_version``). Nothing in it is edited by hand: a new report is
    made from the data again. It holds no personal data (no residents' names, and not who
    asked for it); the files have random names and are downloaded only through the
    dashboard's permission-checked view."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="council_reports",
    )
    state = models.CharField(
        _("Stand"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    data_as_of = models.DateTimeField(_("Stand der Daten"), null=True, blank=True)
    data_version = models.CharField(_("Datenversion"), max_length=60, blank=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=RandomName("council-reports/%Y/"), blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=RandomName("council-reports/%Y/"), blank=True)
    pages = models.PositiveIntegerField(_("Seiten"), default=0)
    seconds = models.FloatField(_("Dauer der Erstellung in Sekunden"), null=True, blank=True)
    message = models.TextField(_("Fehlermeldung"), blank=True)

    class Meta:
        verbose_name = _("Bericht für den Gemeinderat")
        verbose_name_plural = _("Berichte für den Gemeinderat")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="council_report_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.DONE) | (~Q(pdf="") & ~Q(xlsx="")),
                name="council_report_files_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.requested_at:%d.%m.%Y %H:%M})"

    @property
    def done(self) -> bool:
        return self.state == ReportState.DONE

    @property
    def working(self) -> bool:
        return self.state in (ReportState.QUEUED, ReportState.RUNNING)
