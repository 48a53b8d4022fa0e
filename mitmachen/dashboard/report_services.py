"""The one write path of council reports (``models.CouncilReport``), a file made in the
background (``core.background_files``: one in the making per project, lost runs, progress,
failures).

``council_report_request`` is what the staff member's click does: it checks the rule
``dashboard.council_report`` and queues one report per project at a time (two clicks at
the same moment meet at the constraint ``one_council_report_in_the_making``; the second
gets the report already queued). A background task (``report_tasks.make_council_report``)
then runs ``council_report_make``: it reads the data (``report_build.collect``), writes
the PDF and the XLSX file to the storage under random names and sets ``progress`` as it
goes, so that the report page can show it. A failure is stored with its message; the
staff member starts a new report. The older reports stay.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from mitmachen.core import background_files, page_cache
from mitmachen.core.permissions import decide
from mitmachen.dashboard import report_build, report_render
from mitmachen.dashboard.models import CouncilReport
from mitmachen.projects.models import Project

# How far the report has come after each step (per cent).
PROGRESS = {"started": 5, "read": 40, "pdf": 85, "xlsx": 95}


def _enqueue(report_id: int) -> None:
    from mitmachen.dashboard.report_tasks import make_council_report

    make_council_report.enqueue(report_id=report_id)


def council_report_request(*, user: Any, project: Project) -> CouncilReport:
    """Queue a new report of ``project`` (or return the one already queued or running)."""
    decide(user, "dashboard.council_report", project).raise_if_refused()
    return background_files.request_file(CouncilReport, subject=project, enqueue=_enqueue)


def _progress(report_id: int, step: str) -> None:
    background_files.set_progress(CouncilReport, report_id, PROGRESS[step])


def council_report_make(*, report_id: int) -> None:
    """Make a queued report (the background task). Runs once per report: a report that
    is no longer queued (made already, running elsewhere) is left alone."""

    def build(report: CouncilReport) -> dict[str, Any]:
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
        return {"pages": pages, "data_as_of": data.generated_at, "data_version": version}

    background_files.make_file(CouncilReport, report_id, started=PROGRESS["started"], build=build)
