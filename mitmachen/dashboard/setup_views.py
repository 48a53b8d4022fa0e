"""Setting up a project in the site (not the admin): basics, phases, visibility, preview.

Every write goes through ``projects.setup_services``; the permission is the project's own
(``projects.add_project`` with the municipalities ``setup_services.organisations_for_new_projects``
names, ``projects.change_project`` for an existing project). Whoever is not signed in is
sent to the login; a signed-in person without the permission gets the 403 page.
"""

from __future__ import annotations

import copy
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.sections import draw
from mitmachen.dashboard.forms import PhaseForm, ProjectBasicsForm, VisibilityForm
from mitmachen.organisations.views import districts_geojson
from mitmachen.projects import modules, setup_services
from mitmachen.projects.models import Phase, Project, Visibility
from mitmachen.projects.permissions import can_follow_project

# Where a service's field names appear in the phase form.
PHASE_FIELDS = {"start": "start_date", "end": "end_date"}


def _project_to_change(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related(
            "phases", "topics", "districts", "partner_organisations"
        ),
        slug=slug,
    )
    if not rules.has_perm("projects.change_project", request.user, project):
        raise PermissionDenied
    return project


def _setup_url(project: Project) -> str:
    return reverse("dashboard:project_setup", kwargs={"slug": project.slug})


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    organisations = setup_services.organisations_for_new_projects(request.user).order_by("name")
    if not organisations.exists():
        raise PermissionDenied
    form = ProjectBasicsForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            project = setup_services.project_create(
                user=request.user, organisation=form.cleaned_data["organisation"], **fields
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Der Beteiligungsprozess „%(title)s“ ist als Entwurf angelegt. "
                    "Legen Sie nun die Phasen an."
                )
                % {"title": project.title},
            )
            return redirect(_setup_url(project))
    return render(request, "dashboard/setup/basics.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_basics(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_to_change(request, slug)
    form = ProjectBasicsForm(
        request.POST or None, request.FILES or None, organisations=None, project=project
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.project_update(
                user=request.user, project=project, **form.service_fields()
            )
        except ValidationError as error:
            project.refresh_from_db()
            attach_errors(form, error)
        else:
            messages.success(request, _("Die Grunddaten sind gespeichert."))
            return redirect(_setup_url(project))
    return render(request, "dashboard/setup/basics.html", {"form": form, "project": project})


def _overview_context(
    request: HttpRequest, project: Project, visibility_form: VisibilityForm
) -> dict[str, Any]:
    phases = project.ordered_phases()
    now = timezone.now()
    # Only phases that have not begun swap places (setup_services.phase_move): the earlier of the
    # two must lie in the future.
    rows = [
        {
            "phase": phase,
            "up": i > 0 and phases[i - 1].start > now,
            "down": i < len(phases) - 1 and phase.start > now,
        }
        for i, phase in enumerate(phases)
    ]
    return {
        "project": project,
        "phases": rows,
        "visibility_form": visibility_form,
        "topics": list(project.topics.all()),
        "districts": list(project.districts.all()),
        "invited_total": project.memberships.count() + project.invitations.count(),
        # What the modules set up inside the phases (projects.modules.SetupPage).
        "setup_parts": [
            {"page": page, "data": page.load(request, project)} for page in modules.setup_pages()
        ],
    }


@login_required
@require_http_methods(["GET"])
def project_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """The set-up's overview: the three steps with what is entered so far."""
    project = _project_to_change(request, slug)
    form = VisibilityForm(initial={"visibility": project.visibility})
    return render(
        request, "dashboard/setup/overview.html", _overview_context(request, project, form)
    )


@login_required
@require_POST
def project_visibility(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_to_change(request, slug)
    form = VisibilityForm(request.POST)
    if form.is_valid():
        try:
            setup_services.project_set_visibility(
                user=request.user, project=project, visibility=form.cleaned_data["visibility"]
            )
        except ValidationError as error:
            project.visibility = Project.objects.values_list("visibility", flat=True).get(
                pk=project.pk
            )
            attach_errors(form, error)
        else:
            if project.visibility == Visibility.DRAFT:
                messages.success(request, _("Der Beteiligungsprozess ist wieder ein Entwurf."))
            else:
                messages.success(
                    request,
                    _("Veröffentlicht: %(visibility)s.")
                    % {"visibility": project.get_visibility_display()},
                )
            return redirect(_setup_url(project))
    return render(
        request, "dashboard/setup/overview.html", _overview_context(request, project, form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    project = _project_to_change(request, slug)
    phase = get_object_or_404(Phase, pk=pk, project=project) if pk is not None else None
    form = PhaseForm(request.POST or None, phase=phase)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = setup_services.phase_change_warnings(
            project=project,
            phase=phase,
            actions=data["actions"],
            start=data["start"],
            end=data["end"],
        )
        if not warnings or data["confirm"]:
            try:
                setup_services.phase_save(
                    user=request.user,
                    project=project,
                    phase=phase,
                    name=data["name"],
                    description=data["description"],
                    start=data["start"],
                    end=data["end"],
                    actions=data["actions"],
                )
            except ValidationError as error:
                attach_errors(form, error, rename=PHASE_FIELDS)
            else:
                messages.success(
                    request, _("Die Phase „%(name)s“ ist gespeichert.") % {"name": data["name"]}
                )
                return redirect(_setup_url(project))
    context = {"form": form, "project": project, "phase": phase, "warnings": warnings}
    return render(request, "dashboard/setup/phase_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phase_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_to_change(request, slug)
    phase = get_object_or_404(Phase, pk=pk, project=project)
    errors: list[str] = []
    if request.method == "POST":
        try:
            setup_services.phase_delete(user=request.user, phase=phase)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Die Phase „%(name)s“ ist gelöscht.") % {"name": phase.name}
            )
            return redirect(_setup_url(project))
    warnings = setup_services.phase_change_warnings(project=project, phase=phase, actions=[])
    context = {"project": project, "phase": phase, "warnings": warnings, "general_errors": errors}
    return render(request, "dashboard/setup/phase_delete.html", context)


@login_required
@require_POST
def phase_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_to_change(request, slug)
    phase = get_object_or_404(Phase, pk=pk, project=project)
    direction = request.POST.get("richtung")
    if direction not in ("oben", "unten"):
        messages.error(request, _("Bitte wählen Sie „nach oben“ oder „nach unten“."))
        return redirect(_setup_url(project))
    try:
        setup_services.phase_move(user=request.user, phase=phase, up=direction == "oben")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Phase „%(name)s“ ist verschoben.") % {"name": phase.name})
    return redirect(f"{_setup_url(project)}#phase-{phase.pk}")


@login_required
@require_http_methods(["GET"])
def project_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The project page as residents will see it once it is published: the same template,
    drawn for a visitor who is not signed in, with a draft shown as if it were public."""
    project = _project_to_change(request, slug)
    shown = copy.copy(project)
    if shown.visibility == Visibility.DRAFT:
        shown.visibility = Visibility.PUBLIC
    visitor = copy.copy(request)
    visitor.user = AnonymousUser()
    districts = list(project.districts.all())
    context = {
        "project": shown,
        "phases": shown.ordered_phases(),
        "current_phase": shown.current_phase(),
        "is_following": False,
        "can_follow": can_follow_project(visitor.user, shown),
        "can_change": False,
        "sections": draw(visitor, "project", shown),
        "discussion": draw(visitor, "project.discussion", shown),
        "districts": districts,
        "districts_geojson": districts_geojson(districts),
        "demo_boundaries": any(d.is_demo_boundary for d in districts),
        "setup_url": _setup_url(project),
        "was_draft": project.visibility == Visibility.DRAFT,
    }
    return render(visitor, "dashboard/setup/preview.html", context)
