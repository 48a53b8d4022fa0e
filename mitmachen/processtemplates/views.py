"""The library (public), export and import (staff). Views stay thin: the permission is
a rule of ``permissions.py`` or ``organisations_for_new_projects``, every write a
service, every problem of a file a German sentence from ``services.check_document``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.page_cache import anonymous_page
from mitmachen.core.permissions import decide
from mitmachen.processtemplates import services
from mitmachen.processtemplates.forms import ImportForm, ShareForm
from mitmachen.processtemplates.models import SharedTemplate
from mitmachen.projects import modules, setup_services
from mitmachen.projects.models import Project


def outline(checked: services.Checked, start: date | None = None) -> dict[str, Any]:
    """What a template holds, for the library and the import preview: the phases (with
    their dates when ``start`` is given, else their days) and each part's entries."""
    document = checked.document
    parts = modules.template_parts()
    phases = []
    for spec in document.phases:
        # A phase that ends at midnight ends with the day before (counted from 0).
        last_day = spec.end_day - 1 if spec.end_time == "00:00" else spec.end_day
        row: dict[str, Any] = {
            "name": spec.name,
            "description": spec.description,
            "start_day": spec.start_day + 1,
            "end_day": last_day + 1,
            "actions": [modules.action_label(a) for a in spec.actions],
        }
        if start is not None:
            try:
                row["start"] = start + timedelta(days=spec.start_day)
                row["end"] = start + timedelta(days=last_day)
            except OverflowError:  # a start in the year 9999
                raise services.TemplateProblems(
                    [
                        _(
                            "Bitte wählen Sie einen Beginn, an dem alle Phasen ein gültiges "
                            "Datum haben."
                        )
                    ]
                ) from None
        phases.append(row)
    return {
        "project": document.project,
        "source": document.source,
        "phases": phases,
        "parts": [
            {"label": parts[key].label, "lines": [parts[key].describe(e) for e in entries]}
            for key, entries in sorted(checked.entries.items())
            if entries
        ],
        "unknown_topics": checked.unknown_topics(),
        "results": [
            (label, value)
            for counts in (document.results or {}).values()
            for label, value in counts.items()
        ],
    }


def _file_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The library (public) ------------------------------------------------------------------


@require_http_methods(["GET"])
@anonymous_page()
def library(request: HttpRequest) -> HttpResponse:
    entries = SharedTemplate.objects.select_related("organisation").order_by("-updated_at", "-pk")
    return render(
        request,
        "processtemplates/library.html",
        {
            "entries": entries,
            "may_import": setup_services.organisations_for_new_projects(request.user).exists(),
        },
    )


@require_http_methods(["GET"])
@anonymous_page()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    shared = get_object_or_404(SharedTemplate.objects.select_related("organisation"), pk=pk)
    problems: list[str] = []
    content = None
    try:
        content = outline(services.check_document(services.template_dumps(shared.document)))
    except services.TemplateProblems as error:  # e.g. a module removed since it was shared
        problems = error.problems
    return render(
        request,
        "processtemplates/detail.html",
        {
            "shared": shared,
            "content": content,
            "problems": problems,
            "may_import": setup_services.organisations_for_new_projects(request.user).exists(),
            "may_unshare": decide(
                request.user, "processtemplates.unshare_template", shared
            ).allowed,
        },
    )


@require_http_methods(["GET"])
def download(request: HttpRequest, pk: int) -> HttpResponse:
    shared = get_object_or_404(SharedTemplate, pk=pk)
    return _file_response(services.template_dumps(shared.document), f"vorlage-{shared.pk}.json")


# --- Export and sharing (staff) -----------------------------------------------------------


def _project_for(request: HttpRequest, slug: str, rule: str) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related("phases", "topics"),
        slug=slug,
    )
    decision = decide(request.user, rule, project)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    return project


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_for(request, slug, "processtemplates.export_template")
    shared = SharedTemplate.objects.filter(project=project).first()
    initial = {"method": shared.method, "channels": shared.channels} if shared else None
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shared = services.template_share(
                user=request.user,
                project=project,
                method=form.cleaned_data["method"],
                channels=form.cleaned_data["channels"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Der Prozess ist in der Vorlagen-Bibliothek geteilt."))
            return redirect(shared.get_absolute_url())
    content, problems = None, []
    try:
        content = outline(
            services.check_document(
                services.template_dumps(services.template_export(project=project))
            )
        )
    except services.TemplateProblems as error:  # e.g. a choice question without answers
        problems = error.problems
    return render(
        request,
        "processtemplates/export.html",
        {
            "project": project,
            "form": form,
            "shared": shared,
            "content": content,
            "problems": problems,
            "has_phases": bool(project.ordered_phases()),
        },
    )


@login_required
@require_http_methods(["GET"])
def export_file(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_for(request, slug, "processtemplates.export_template")
    document = services.template_export(
        project=project, with_results=request.GET.get("ergebnisse") == "1"
    )
    return _file_response(services.template_dumps(document), f"vorlage-{project.slug}.json")


@login_required
@require_POST
def unshare(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug)
    shared = get_object_or_404(SharedTemplate, project=project)
    services.template_unshare(user=request.user, shared=shared)
    messages.success(request, _("Der Prozess ist nicht mehr in der Vorlagen-Bibliothek."))
    return redirect(reverse("processtemplates:export", args=[project.slug]))


# --- Import (staff) ---------------------------------------------------------------------------


def _raw_of(form: ImportForm) -> bytes | None:
    """The template the form names: the checked text sent back by the preview, a library
    entry, or the uploaded file (``TemplateProblems`` if it is too big)."""
    data = form.cleaned_data
    if data.get("document"):
        return str(data["document"]).encode("utf-8")
    if data.get("vorlage"):
        shared = SharedTemplate.objects.filter(pk=data["vorlage"]).first()
        if shared is None:
            raise services.TemplateProblems([_("Diese Vorlage gibt es nicht mehr.")])
        return services.template_dumps(shared.document)
    if data.get("file"):
        return services.read_upload(data["file"])
    return None


@login_required
@require_http_methods(["GET", "POST"])
def import_template(request: HttpRequest) -> HttpResponse:
    organisations = setup_services.organisations_for_new_projects(request.user).order_by("name")
    if not organisations.exists():
        raise PermissionDenied(_("Sie dürfen keine Beteiligungsprozesse anlegen."))
    initial = {}
    from_library = None
    if request.method == "GET" and request.GET.get("vorlage", "").isdigit():
        from_library = SharedTemplate.objects.filter(pk=int(request.GET["vorlage"])).first()
        if from_library is not None:
            initial["vorlage"] = from_library.pk
    form = ImportForm(
        request.POST or None, request.FILES or None, organisations=organisations, initial=initial
    )
    context: dict[str, Any] = {"form": form, "from_library": from_library, "general_errors": []}
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("vorlage"):
            context["from_library"] = SharedTemplate.objects.filter(
                pk=form.cleaned_data["vorlage"]
            ).first()
        try:
            raw = _raw_of(form)
            if raw is None:
                form.add_error("file", _("Bitte wählen Sie eine Vorlagendatei."))
            elif "anlegen" in request.POST:
                project = services.template_import(
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    raw=raw,
                    start=form.cleaned_data["start"],
                )
                messages.success(
                    request,
                    _(
                        "Der Beteiligungsprozess „%(title)s“ ist aus der Vorlage als Entwurf "
                        "angelegt. Prüfen Sie Grunddaten, Ortsteile und Phasen, bevor Sie ihn "
                        "veröffentlichen."
                    )
                    % {"title": project.title},
                )
                return redirect(reverse("dashboard:project_setup", args=[project.slug]))
            else:
                checked = services.check_document(raw)
                services.template_import_check(
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    raw=raw,
                    start=form.cleaned_data["start"],
                )
                context["content"] = outline(checked, start=form.cleaned_data["start"])
                context["document"] = raw.decode("utf-8-sig")
                context["organisation"] = form.cleaned_data["organisation"]
                return render(request, "processtemplates/import_preview.html", context)
        except services.TemplateProblems as error:
            context["general_errors"] = error.problems
        except ValidationError as error:
            context["general_errors"] = error.messages
        # import.html has no field for the preview's text: a new check starts from a file.
    return render(request, "processtemplates/import.html", context)
