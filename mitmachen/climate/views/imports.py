"""The staff import of an indicator's values: upload and preview with every bad row,
then all or nothing (in the request, or a background task for big files)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mitmachen.climate import services
from mitmachen.climate.importers import MAX_ERRORS_SHOWN, ImportFileError
from mitmachen.climate.models import (
    ImportState,
    PendingImport,
)
from mitmachen.climate.views.common import (
    _indicator,
)
from mitmachen.core.permissions import decide

PREVIEW_ROWS = 10


@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """Step 1 uploads the file and shows a preview with every bad row; step 2 imports
    the previewed file (all or nothing)."""
    from mitmachen.climate.forms import ImportForm

    found, may_manage = _indicator(request, slug, indicator)
    if not may_manage:
        raise PermissionDenied(
            decide(request.user, "climate.manage_data", found.organisation).reason
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"organisation": found.organisation, "indicator": found, "form": form}
    if request.method == "POST" and "pending" in request.POST:
        asked = str(request.POST.get("pending"))
        pending = PendingImport.objects.filter(
            pk=int(asked) if asked.isdigit() else 0,
            indicator=found,
            uploaded_by_id=request.user.pk,
        ).first()
        if pending is None:
            messages.error(
                request,
                _("Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei erneut hoch."),
            )
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if "discard" in request.POST:
            if pending.state in (ImportState.QUEUED, ImportState.RUNNING):
                messages.error(request, _("Dieser Import läuft schon."))
                return redirect("climate:import", slug=slug, indicator=found.slug)
            pending.delete()
            messages.info(request, _("Der Import wurde verworfen."))
            return redirect("climate:import", slug=slug, indicator=found.slug)
        try:
            result = services.pending_import_confirm(user=request.user, pending=pending)
        except (ImportFileError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if result is None:
            messages.info(
                request,
                _(
                    "Die Datei ist groß und wird im Hintergrund importiert. Den Stand sehen "
                    "Sie auf dieser Seite (neu laden)."
                ),
            )
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(n)d Wert importiert (%(first)s bis %(last)s); "
                    "%(old)d bisherige Werte dieses Zeitraums ersetzt.",
                    "%(n)d Werte importiert (%(first)s bis %(last)s); "
                    "%(old)d bisherige Werte dieses Zeitraums ersetzt.",
                    result.created,
                )
                % {
                    "n": result.created,
                    "first": result.first.strftime("%d.%m.%Y"),
                    "last": result.last.strftime("%d.%m.%Y"),
                    "old": result.replaced,
                },
            )
            return redirect(found.get_absolute_url())
        context.update(_preview(pending, result))
        form = ImportForm()
        context["form"] = form
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending, result = services.pending_import_create(
                user=request.user,
                indicator=found,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                data=upload.read(),
                options=form.options(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context.update(_preview(pending, result))
    jobs = list(
        PendingImport.objects.filter(indicator=found, uploaded_by_id=request.user.pk)
        .exclude(state=ImportState.PREVIEWED)
        .defer("data")
        .order_by("-created_at")[:10]
    )
    running = services.import_progress(j.pk for j in jobs if j.state == ImportState.RUNNING)
    for job in jobs:
        done, total = running.get(job.pk, (None, None))
        job.rows_done, job.rows_total = done, total  # type: ignore[attr-defined]
        job.percent = (  # type: ignore[attr-defined]
            done * 100 // total if done is not None and total else None
        )
    context["background"] = jobs
    context["background_running"] = any(
        j.state in (ImportState.QUEUED, ImportState.RUNNING) for j in jobs
    )
    return render(request, "climate/import.html", context)


def _preview(pending: PendingImport | None, result: services.ImportResult) -> dict[str, Any]:
    return {
        "pending": pending,
        "result": result,
        "preview_rows": result.parsed.rows[:PREVIEW_ROWS],
        "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
        "errors_more": max(0, len(result.errors) - MAX_ERRORS_SHOWN),
    }
