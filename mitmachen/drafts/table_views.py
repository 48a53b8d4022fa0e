"""The Abwägungstabelle as files for the council (PDF and XLSX): the draft's files page
(start a new table, see its progress, download the files), for staff who may manage the
draft (rule ``drafts.manage_draft``; everyone else gets "not found", as on the import
page). The page reloads itself while a table is being made (``core.background_files``:
the ``Refresh`` header, no JavaScript, as the council report's page does) and links
"Jetzt neu laden". The writes are ``table_services``'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core import background_files
from mitmachen.core.permissions import decide
from mitmachen.drafts import selectors, table_services
from mitmachen.drafts.models import Draft, TableState, WeighingTableFile


def _draft(request: HttpRequest, slug: str, draft: str) -> Draft:
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    if not decide(request.user, "drafts.manage_draft", document):
        raise Http404
    return document


@login_required
@require_http_methods(["GET"])
def files_page(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The draft's tables, newest first, with the progress of one being made."""
    document = _draft(request, slug, draft)
    tables = list(
        WeighingTableFile.objects.filter(draft=document).select_related("requested_by")[
            : background_files.LISTED
        ]
    )
    newest = tables[0] if tables else None
    return background_files.status_page(
        request,
        "drafts/weighing_files.html",
        {
            "draft": document,
            "project": document.project,
            "tables": tables,
            "failed": newest is not None and newest.state == TableState.FAILED,
        },
        tables,
    )


@login_required
@require_POST
def files_start(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """One click: queue a new table (or find the one already being made)."""
    document = _draft(request, slug, draft)
    table = table_services.weighing_table_request(user=request.user, draft=document)
    table.refresh_from_db()  # an immediate task backend has made it already
    if table.done:
        messages.success(request, _("Die Abwägungstabelle ist fertig."))
    else:
        messages.success(
            request,
            _("Die Abwägungstabelle wird erstellt. Diese Seite zeigt, wie weit sie ist."),
        )
    return redirect(reverse("drafts:weighing_files", args=[slug, document.slug]) + "#dateien")


@login_required
@require_http_methods(["GET"])
def files_download(request: HttpRequest, slug: str, draft: str, pk: int, kind: str) -> FileResponse:
    """A finished table's PDF or XLSX file; another draft's table is not found."""
    document = _draft(request, slug, draft)
    table = get_object_or_404(WeighingTableFile, pk=pk, draft=document, state=TableState.DONE)
    stamp = timezone.localtime(table.data_as_of or table.requested_at).strftime("%Y-%m-%d")
    return background_files.download(
        table, kind, filename=f"abwaegungstabelle-{document.slug}-{stamp}"
    )
