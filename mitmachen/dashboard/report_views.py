"""The council report pages ("Bericht für den Gemeinderat"): the project's report page
(start a new one, see its progress, download the files), all behind the rule
``dashboard.council_report``. The writes are ``report_services``'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core import background_files, page_cache
from mitmachen.core.permissions import decide
from mitmachen.dashboard import report_services
from mitmachen.dashboard.models import CouncilReport, ReportState
from mitmachen.projects.models import Project


def _project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project.objects.select_related("organisation"), slug=slug)
    decide(request.user, "dashboard.council_report", project).raise_if_refused()
    return project


@login_required
@require_http_methods(["GET"])
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's reports, newest first, with the progress of one being made."""
    project = _project(request, slug)
    reports = list(CouncilReport.objects.filter(project=project)[: background_files.LISTED])
    latest = next((r for r in reports if r.done), None)
    unchanged = latest is not None and latest.data_version == page_cache.data_version(
        project.pk, request
    )
    return background_files.status_page(
        request,
        "dashboard/report/page.html",
        {"project": project, "reports": reports, "latest": latest, "unchanged": unchanged},
        reports,
    )


@login_required
@require_POST
def report_start(request: HttpRequest, slug: str) -> HttpResponse:
    """One click: queue a new report (or find the one already being made)."""
    project = _project(request, slug)
    report = report_services.council_report_request(user=request.user, project=project)
    if report.done:
        messages.success(request, _("Der Bericht ist fertig."))
    else:
        messages.success(
            request, _("Der Bericht wird erstellt. Diese Seite zeigt, wie weit er ist.")
        )
    return redirect(reverse("dashboard:council_report", args=[project.slug]) + "#berichte")


@login_required
@require_http_methods(["GET"])
def report_download(request: HttpRequest, slug: str, pk: int, kind: str) -> FileResponse:
    """A finished report's PDF or XLSX file; another project's report is not found."""
    project = _project(request, slug)
    report = get_object_or_404(CouncilReport, pk=pk, project=project, state=ReportState.DONE)
    stamp = (report.data_as_of or report.requested_at).strftime("%Y-%m-%d")
    return background_files.download(report, kind, filename=f"bericht-{project.slug}-{stamp}")
