"""Thin views of "Umsetzung": the overview, a measure's page, following, staff updates,
turning a proposal into a measure, and the Atom feeds. Every page works without
JavaScript; none is cached (drafts and filters differ per person)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.csv_export import csv_response
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.measures import exports, import_services, services
from mitmachen.measures.filters import MeasureFilter
from mitmachen.measures.forms import FromProposalForm, UpdateEditForm, UpdateForm
from mitmachen.measures.imports import ImportFileError
from mitmachen.measures.models import (
    Goal,
    ImportState,
    Measure,
    MeasureFollow,
    MeasureImport,
    MeasureQuerySet,
    MeasureUpdate,
)
from mitmachen.measures.origins import origins_of
from mitmachen.measures.permissions import manages_in, may_view
from mitmachen.measures.selectors import TREE_ORDER, catalogue, visible_measures
from mitmachen.measures.timeline import NARROW, gantt, measure_chart
from mitmachen.organisations.models import Organisation
from mitmachen.proposals.models import Proposal

UPDATES_SHOWN = 50
OVERVIEW_PAGE_SIZE = 50


def _export_name(organisation: Organisation, extension: str) -> str:
    return f"massnahmen-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_http_methods(["GET"])
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The catalogue the person may see, one measure per row (importable again)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return csv_response(
        _export_name(organisation, "csv"),
        exports.COLUMNS,
        exports.csv_rows(request.user, organisation, request.build_absolute_uri("/").rstrip("/")),
    )


@require_http_methods(["GET"])
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    response = HttpResponse(
        exports.xlsx_bytes(request.user, organisation, request.build_absolute_uri("/").rstrip("/")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(organisation, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def export_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Open data: the tree with stable ids (primary keys) and each measure's address."""
    organisation = get_object_or_404(Organisation, slug=slug)
    data = exports.open_data(
        request.user, organisation, request.build_absolute_uri("/").rstrip("/")
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{_export_name(organisation, "json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _visible_measure(request: HttpRequest, pk: int) -> Measure:
    measure = get_object_or_404(
        Measure.objects.select_related("organisation", "project", "status", "goal__field"),
        pk=pk,
    )
    if not may_view(request.user, measure):
        raise Http404
    return measure


@require_http_methods(["GET"])
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's catalogue: fields → goals → measures, filtered; the figures of
    fields and goals are over all the measures the person may see."""
    organisation = get_object_or_404(Organisation, slug=slug)
    visible = visible_measures(request.user, organisation)
    filterset = MeasureFilter(
        request.GET or None, queryset=visible, organisation=organisation, user=request.user
    )
    # The filter's queryset is a clone of ``visible`` (a MeasureQuerySet).
    shown = cast(MeasureQuerySet, filterset.qs.distinct()) if filterset.is_bound else visible
    # One page of the tree: rendering 500 measure cards took most of the page's time.
    page = Paginator(shown.for_listing().order_by(*TREE_ORDER), OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    rows = catalogue(request.user, organisation, listed=list(page.object_list))
    today = timezone.localdate()
    for row in rows:  # the compact timeline of the measures listed, per field
        listed = [m for g in row.goals for m in g.measures]
        row.gantt = gantt(listed, today)
        row.gantt_narrow = gantt(listed, today, width=NARROW, label_width=150, label_length=16)
    context = {
        "organisation": organisation,
        "form": filterset.form,
        "fields": [row for row in rows if row.measure_count],
        "result_count": page.paginator.count,
        "page": page,
        "filtered": filterset.is_bound,
        "can_manage": manages_in(request.user, organisation.pk),
        "any_demo": any(m.is_demo for row in rows for g in row.goals for m in g.measures),
    }
    return render(request, "measures/overview.html", context)


@require_http_methods(["GET"])
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _visible_measure(request, pk)
    user = request.user
    origins = [
        p
        for p in measure.proposals.select_related("project").order_by("pk")
        if p.hidden_at is None and user.has_perm("projects.view_project", p.project)
    ]
    targets = list(
        measure.climate_targets.filter(indicator__is_published=True)
        .select_related("indicator__organisation")
        .order_by("target_year", "pk")
    )
    updates = list(
        measure.updates.select_related("status", "author")
        .prefetch_related("images", "documents")
        .order_by("-created_at", "-pk")[:UPDATES_SHOWN]
    )
    can_manage = manages_in(user, measure.organisation_id)
    milestones = list(measure.milestones.all())
    today = timezone.localdate()
    context = {
        "measure": measure,
        "organisation": measure.organisation,
        "districts": list(measure.districts.order_by("name")),
        "milestones": milestones,
        "chart": measure_chart(measure, milestones, today),
        "chart_narrow": measure_chart(measure, milestones, today, width=NARROW, label_width=100),
        "chart_summary": _chart_summary(measure, milestones, today),
        "updates": updates,
        "origins": origins,
        "other_origins": origins_of(user, measure),
        "climate_targets": targets,
        "can_manage": can_manage,
        "is_following": user.is_authenticated
        and MeasureFollow.objects.filter(measure=measure, user=user).exists(),
        "follow": decide(user, "measures.follow_measure", measure),
        "update_form": UpdateForm(statuses=services.statuses_for(measure.organisation_id))
        if can_manage
        else None,
    }
    return render(request, "measures/measure_detail.html", context)


def _chart_summary(measure: Measure, milestones: list[Any], today: Any) -> str:
    """What the timeline chart shows, in words (its accessible description)."""

    def day(value: Any) -> str:
        return date_format(value, "DATE_FORMAT") if value else "–"

    parts = []
    if measure.planned_start or measure.planned_end:
        parts.append(
            _("Geplant vom %(start)s bis %(end)s.")
            % {"start": day(measure.planned_start), "end": day(measure.planned_end)}
        )
    if measure.actual_start and not measure.actual_end:
        parts.append(_("Begonnen am %(start)s, läuft noch.") % {"start": day(measure.actual_start)})
    elif measure.actual_start or measure.actual_end:
        parts.append(
            _("Tatsächlich vom %(start)s bis %(end)s.")
            % {"start": day(measure.actual_start), "end": day(measure.actual_end)}
        )
    else:
        parts.append(_("Noch nicht begonnen."))
    dated = [m for m in milestones if m.due]
    if dated:
        parts.append(
            _("%(done)d von %(total)d Meilensteinen mit Datum erledigt.")
            % {"done": sum(1 for m in dated if m.done), "total": len(dated)}
        )
    parts.append(_("Heute ist der %(today)s.") % {"today": day(today)})
    return " ".join(parts)


@login_required
@require_POST
def measure_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or unfollow (``folgen=0``), as a plain form."""
    measure = _visible_measure(request, pk)
    if request.POST.get("folgen") == "0":
        services.measure_unfollow(user=request.user, measure=measure)
        messages.success(request, _("Sie folgen dieser Maßnahme nicht mehr."))
    else:
        try:
            services.measure_follow(user=request.user, measure=measure)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Sie folgen jetzt dieser Maßnahme und werden über Neues benachrichtigt.")
            )
    return redirect(measure)


@login_required
@require_http_methods(["GET", "POST"])
def update_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff post an update (and change the status); the form also sits on the page."""
    measure = _visible_measure(request, pk)
    if not manages_in(request.user, measure.organisation_id):
        raise Http404
    form = UpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        statuses=services.statuses_for(measure.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(user=request.user, measure=measure, **form.service_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Die Neuigkeit ist veröffentlicht."))
            return redirect(measure)
    return render(request, "measures/update_form.html", {"measure": measure, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff correct the text of an update (a plain form: no JavaScript)."""
    update = get_object_or_404(MeasureUpdate.objects.select_related("measure__organisation"), pk=pk)
    measure = update.measure
    if not may_view(request.user, measure) or not manages_in(request.user, measure.organisation_id):
        raise Http404
    form = UpdateEditForm(
        request.POST if request.method == "POST" else None, initial={"text": update.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_edit(user=request.user, update=update, text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Die Neuigkeit ist geändert."))
            return redirect(f"{measure.get_absolute_url()}#neuigkeit-{update.pk}")
    context = {"measure": measure, "update": update, "form": form}
    return render(request, "measures/update_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def update_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff delete an update with its images and documents, after a confirmation page
    (a plain form: no JavaScript)."""
    update = get_object_or_404(
        MeasureUpdate.objects.select_related("measure__organisation", "status"), pk=pk
    )
    measure = update.measure
    if not may_view(request.user, measure) or not manages_in(request.user, measure.organisation_id):
        raise Http404
    if request.method == "POST":
        try:
            services.update_delete(user=request.user, update=update)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Die Neuigkeit ist gelöscht, mit ihren Bildern und Dokumenten.")
            )
        return redirect(measure)
    context = {
        "measure": measure,
        "update": update,
        "image_count": update.images.count(),
        "document_count": update.documents.count(),
    }
    return render(request, "measures/update_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def from_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff turn an accepted proposal into a measure in one step."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("project__organisation", "district"), pk=pk
    )
    organisation = proposal.project.organisation
    if not manages_in(request.user, organisation.pk):
        raise Http404
    decision = decide(request.user, "measures.measure_from_proposal", proposal)
    existing = proposal.measures.first()
    if not decision or existing is not None:
        messages.error(
            request,
            decision.reason
            or _("Aus diesem Vorschlag ist schon die Maßnahme „%(title)s“ geworden.")
            % {"title": existing.title if existing else ""},
        )
        return redirect(proposal)
    goals = Goal.objects.filter(field__organisation=organisation).select_related("field")
    initial: dict[str, Any] = {"title": proposal.title, "published": True}
    form = FromProposalForm(
        request.POST if request.method == "POST" else None, goals=goals, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_from_proposal(
                user=request.user, proposal=proposal, **form.cleaned_data
            )
        except ValidationError as error:
            # Also "already a measure" (a parallel conversion): at the top of the form.
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(proposal)
        else:
            messages.success(
                request, _("Die Maßnahme ist angelegt; die Beteiligten sind benachrichtigt.")
            )
            return redirect(measure)
    context = {"proposal": proposal, "organisation": organisation, "form": form}
    return render(request, "measures/from_proposal.html", context)


def _importing_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    decision = decide(request.user, "measures.import_catalogue", organisation)
    if not decision:
        raise PermissionDenied(decision.reason)
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1 uploads a list and shows a preview with every bad row (naming row and
    column); step 2 imports the previewed list, all or nothing – a big one in the
    background, with its status page."""
    from mitmachen.measures.forms import ImportForm

    organisation = _importing_organisation(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"organisation": organisation, "form": form}
    if request.method == "POST" and "pending" in request.POST:
        asked = str(request.POST.get("pending"))
        pending = MeasureImport.objects.filter(
            pk=int(asked) if asked.isdigit() else 0,
            organisation=organisation,
            uploaded_by_id=request.user.pk,
            state=ImportState.PREVIEWED,
        ).first()
        if pending is None:
            messages.error(
                request,
                _("Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei erneut hoch."),
            )
            return redirect("measures:import", slug=slug)
        if "discard" in request.POST:
            pending.delete()
            messages.info(request, _("Der Import wurde verworfen."))
            return redirect("measures:import", slug=slug)
        try:
            parsed = import_services.import_confirm(user=request.user, pending=pending)
        except (ImportFileError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("measures:import", slug=slug)
        if parsed is None:
            messages.info(request, _("Die Datei ist groß und wird im Hintergrund importiert."))
            return redirect("measures:import_status", slug=slug, pk=pending.pk)
        if parsed.ok:
            messages.success(
                request, import_services.result_message(parsed.created, parsed.changed)
            )
            return redirect("measures:overview", slug=slug)
        context.update(pending=None, summary=parsed.summary())
        context["form"] = ImportForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending, parsed = import_services.import_preview(
                user=request.user,
                organisation=organisation,
                file_name=upload.name,
                data=upload.read(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if parsed is None and pending is not None:
                messages.info(request, _("Die Datei ist groß und wird im Hintergrund geprüft."))
                return redirect("measures:import_status", slug=slug, pk=pending.pk)
            if parsed is not None:
                context.update(pending=pending, summary=parsed.summary())
    context["recent"] = (
        MeasureImport.objects.filter(organisation=organisation, uploaded_by_id=request.user.pk)
        .exclude(state=ImportState.PREVIEWED)
        .order_by("-created_at")[:5]
    )
    return render(request, "measures/import.html", context)


@login_required
@require_http_methods(["GET"])
def import_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A background import's state: rows checked of the total, then the result. The
    page reloads itself every few seconds while it runs (a meta refresh, no script)."""
    organisation = _importing_organisation(request, slug)
    job = get_object_or_404(
        MeasureImport, pk=pk, organisation=organisation, uploaded_by_id=request.user.pk
    )
    percent_done = job.rows_done * 100 // job.rows_total if job.rows_total else 0
    context = {
        "organisation": organisation,
        "job": job,
        "percent_done": percent_done,
        "summary": job.summary or None,
        "pending": job if job.state == ImportState.PREVIEWED else None,
    }
    return render(request, "measures/import_status.html", context)
