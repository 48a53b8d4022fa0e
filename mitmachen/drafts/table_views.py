"""The Abwägungstabelle as files for the council (PDF and XLSX): the draft's files page
(start a new table, see its progress, download the files), for staff who may manage the
draft (rule ``drafts.manage_draft``; everyone else gets "not found", as on the import
page). The page reloads itself while a table is being made (the ``Refresh`` header, no
JavaScript), as the council report's page does, and links "Jetzt neu laden". The writes
are ``table_services``'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.permissions import decide
from mitmachen.drafts import selectors, table_services
from mitmachen.drafts.models import Draft, TableState, WeighingTableFile

# The page reloads itself this often while a table is being made.
REFRESH_SECONDS = 3
LISTED = 10
KINDS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
        WeighingTableFile.objects.filter(draft=document).select_related("requested_by")[:LISTED]
    )
    working = any(t.working for t in tables)
    newest = tables[0] if tables else None
    response = render(
        request,
        "drafts/weighing_files.html",
        {
            "draft": document,
            "project": document.project,
            "tables": tables,
            "working": working,
            "failed": newest is not None and newest.state == TableState.FAILED,
            "refresh": REFRESH_SECONDS,
        },
    )
    if working:
        # With the address: Chromium does not reload for a bare "Refresh: 3" when the
        # address has a fragment (#dateien, where the button leads), it only scrolls.
        response["Refresh"] = f"{REFRESH_SECONDS}; url={request.path}"
    patch_cache_control(response, private=True, no_store=True)
    return response


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
    if kind not in KINDS:
        raise Http404
    table = get_object_or_404(WeighingTableFile, pk=pk, draft=document, state=TableState.DONE)
    stored = table.pdf if kind == "pdf" else table.xlsx
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stamp = timezone.localtime(table.data_as_of or table.requested_at).strftime("%Y-%m-%d")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"abwaegungstabelle-{document.slug}-{stamp}.{kind}",
        content_type=KINDS[kind],
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
