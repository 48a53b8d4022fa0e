"""The stored council reports (``report_services``): the dashboard's only model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mitmachen.core import background_files
from mitmachen.core.background_files import BackgroundFile, FileState
from mitmachen.core.uploads import RandomName
from mitmachen.projects.models import Project

# The states of a report: the core's (``core.background_files``).
ReportState = FileState


class CouncilReport(BackgroundFile):
    """One council report of a project ("Bericht für den Gemeinderat"): a PDF and an XLSX
    file made in the background (``core.background_files``, ``report_services``) from the
    project's data as it stood at ``data_as_of`` (``data_version``: the project's
    page-cache data version then, see ``core.page_cache.data_version``). Nothing in it is
    edited by hand: a new report is made from the data again, one at a time per project
    (database constraint ``one_council_report_in_the_making``); the older reports stay.
    It holds no personal data (no residents' names, and not who asked for it); the files
    have random names and are downloaded only through the dashboard's permission-checked
    view."""

    subject_field = "project"

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="council_reports",
    )
    data_version = models.CharField(_("Datenversion"), max_length=60, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=RandomName("council-reports/%Y/"), blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=RandomName("council-reports/%Y/"), blank=True)

    class Meta(BackgroundFile.Meta):
        verbose_name = _("Bericht für den Gemeinderat")
        verbose_name_plural = _("Berichte für den Gemeinderat")
        constraints = background_files.constraints(
            subject="project",
            in_the_making="one_council_report_in_the_making",
            progress="council_report_progress_percent",
            files_when_done="council_report_files_when_done",
        )

    def __str__(self) -> str:
        return f"{self.project} ({self.requested_at:%d.%m.%Y %H:%M})"
