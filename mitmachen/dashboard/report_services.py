"""The one write path of council reports (``models.CouncilReport``).

``council_report_request`` is what the staff member's click does: it checks the rule
``dashboard.council_report`` and queues one report per project at a time (the project's
row lock orders two clicks; the second gets the report already queued). A background task
(``report_tasks.make_council_report``) then runs ``council_report_make``: it reads the
data (``report_build.collect``), writes the PDF and the XLSX file to the storage under
random names and sets ``progress`` as it goes, so that the report page can show it.
A failure is stored with its message; the staff member starts a new report.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mitmachen.core import page_cache
from mitmachen.core.permissions import decide
from mitmachen.dashboard import report_build, report_render
from mitmachen.dashboard.models import CouncilReport, ReportState
from mitmachen.projects.models import Project

logger = logging.getLogger(__name__)

# How far the report has come after each step (per cent).
PROGRESS = {"started": 5, "read": 40, "pdf": 85, "xlsx": 95}


def council_report_request(*, user: Any, project: Project) -> CouncilReport:
    """Queue a new report of ``project`` (or return the one already queued or running)."""
    decide(user, "dashboard.council_report", project).raise_if_refused()
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        working = (
            CouncilReport.objects.filter(
                project=project, state__in=(ReportState.QUEUED, ReportState.RUNNING)
            )
            .order_by("-pk")
            .first()
        )
        if working is not None:
            return working
        report = CouncilReport.objects.create(project=project)
        from mitmachen.dashboard.report_tasks import make_council_report

        pk = report.pk
        transaction.on_commit(lambda: make_council_report.enqueue(report_id=pk))
    return report


def _progress(report_id: int, step: str) -> None:
    CouncilReport.objects.filter(pk=report_id).update(progress=PROGRESS[step])


def council_report_make(*, report_id: int) -> None:
    """Make a queued report (the background task). Runs once per report: a report that
    is no longer queued (made already, or running elsewhere) is left alone."""
    with transaction.atomic():
        report = (
            CouncilReport.objects.select_for_update()
            .filter(pk=report_id, state=ReportState.QUEUED)
            .first()
        )
        if report is None:
            return
        report.state = ReportState.RUNNING
        report.progress = PROGRESS["started"]
        report.save(update_fields=["state", "progress"])
    began = time.perf_counter()
    try:
        project = Project.objects.select_related("organisation").get(pk=report.project_id)
        version = page_cache.data_version(project.pk)
        data = report_build.collect(project, data_version=version)
        _progress(report_id, "read")
        pdf, pages = report_render.pdf(data, site=settings.SITE_URL)
        _progress(report_id, "pdf")
        xlsx = report_render.xlsx(data)
        _progress(report_id, "xlsx")
        stamp = data.generated_at.strftime("%Y-%m-%d")
        report.pdf.save(f"bericht-{stamp}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"bericht-{stamp}.xlsx", ContentFile(xlsx), save=False)
    except Exception as error:  # the row must not stay "running" for ever
        logger.exception("Council report %s failed", report_id)
        CouncilReport.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        return
    CouncilReport.objects.filter(pk=report_id, state=ReportState.RUNNING).update(
        state=ReportState.DONE,
        progress=100,
        pdf=report.pdf.name,
        xlsx=report.xlsx.name,
        pages=pages,
        data_as_of=data.generated_at,
        data_version=version,
        seconds=round(time.perf_counter() - began, 2),
        finished_at=timezone.now(),
    )


def delete_files(sender: Any, instance: CouncilReport, **kwargs: Any) -> None:
    """A deleted report (also with its project) takes its files with it, once committed."""
    names = [f.name for f in (instance.pdf, instance.xlsx) if f.name]
    storage = instance.pdf.storage

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
