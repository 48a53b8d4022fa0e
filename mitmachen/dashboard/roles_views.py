"""Rollen und Zugänge: who works for a municipality in which role, invitations, the log,
and who leads each project – in the staff workspace instead of the Django admin.

Permissions are ``roles.permissions``' rules (a refusal shows its German reason on the
403 page); every write goes through ``roles.services``. Whoever is not signed in is sent
to the login, except on an invitation's page, which explains how to accept it.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.accounts.models import User
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.dashboard.roles_forms import InviteForm, ProjectManagerForm, RoleChangeForm
from mitmachen.organisations.models import Membership, Organisation, Role
from mitmachen.projects.models import Project
from mitmachen.roles import services
from mitmachen.roles.models import Invitation, RoleChange
from mitmachen.roles.permissions import (
    RANK,
    STAFF_ONLY,
    RoleGrant,
    own_rank,
    sees_log,
    sees_staff,
)

LOG_PAGE = 50


def _require(user: Any, rule: str, obj: Any) -> None:
    decision = decide(user, rule, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _organisation(request: HttpRequest, slug: str, rule: str = "roles.view_staff") -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(request.user, rule, organisation)
    return organisation


def _staff_url(organisation: Organisation) -> str:
    return reverse("dashboard:roles_staff", kwargs={"slug": organisation.slug})


def organisations_for_roles(user: Any) -> list[Organisation]:
    """The municipalities whose staff ``user`` sees (administration, project management)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    ids = [
        m.organisation_id
        for m in Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.PROJECT_MANAGER])
    ]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_http_methods(["GET"])
def roles_index(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_roles(request.user)
    if not organisations:
        raise PermissionDenied(STAFF_ONLY)
    if len(organisations) == 1:
        return redirect(_staff_url(organisations[0]))
    return render(request, "dashboard/roles/index.html", {"organisations": organisations})


@login_required
@require_http_methods(["GET"])
def staff(request: HttpRequest, slug: str) -> HttpResponse:
    """Who has which role, open invitations, and who leads each project."""
    organisation = _organisation(request, slug)
    rank = own_rank(request.user, organisation.pk)
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    rows = [{"membership": m, "may_change": RANK[Role(m.role)] <= rank} for m in memberships]
    invitations = [
        {"invitation": i, "may_withdraw": RANK[Role(i.role)] <= rank}
        for i in Invitation.objects.open().filter(organisation=organisation).order_by("email")
    ]
    projects = list(
        Project.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("managers", queryset=User.objects.order_by("display_name", "email"))
        )
        .order_by("title")
    )
    context = {
        "organisation": organisation,
        "rows": rows,
        "invitations": invitations,
        "projects": projects,
        "sees_log": sees_log(request.user, organisation),
    }
    return render(request, "dashboard/roles/staff.html", context)


def _invitation_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(
        reverse("dashboard:invitation", kwargs={"token": token})
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.staff_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                link=_invitation_link(request),
            )
        except PermissionDenied as error:
            form.add_error("role", str(error))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if result.membership is not None:
                messages.success(
                    request,
                    _("%(name)s hat ein Konto und hat jetzt die Rolle „%(role)s“.")
                    % {
                        "name": result.membership.user.public_name,
                        "role": result.membership.get_role_display(),
                    },
                )
            else:
                messages.success(
                    request,
                    _("Die Einladung an %(email)s ist verschickt. Sie gilt 14 Tage.")
                    % {"email": form.cleaned_data["email"].lower()},
                )
            return redirect(_staff_url(organisation))
    return render(
        request, "dashboard/roles/invite.html", {"organisation": organisation, "form": form}
    )


def _member(organisation: Organisation, user_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), organisation=organisation, user_id=user_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_change(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    membership = _member(organisation, user_id)
    _require(request.user, "roles.set_role", RoleGrant(organisation, membership.role, None))
    form = RoleChangeForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        organisation=organisation,
        initial={"role": membership.role},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_set(
                actor=request.user,
                organisation=organisation,
                person=membership.user,
                role=form.cleaned_data["role"],
            )
        except PermissionDenied as error:
            form.add_error("role", str(error))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Rolle von %(name)s ist gespeichert.")
                % {"name": membership.user.public_name},
            )
            return redirect(_staff_url(organisation))
    context = {"organisation": organisation, "membership": membership, "form": form}
    return render(request, "dashboard/roles/member.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    membership = _member(organisation, user_id)
    _require(request.user, "roles.set_role", RoleGrant(organisation, membership.role, None))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.role_remove(
                actor=request.user, organisation=organisation, person=membership.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(name)s hat keinen Zugang mehr zu %(organisation)s.")
                % {"name": membership.user.public_name, "organisation": organisation.display_name},
            )
            if not sees_staff(request.user, organisation):  # removed their own access
                return redirect("dashboard:my_projects")
            return redirect(_staff_url(organisation))
    led = Project.objects.filter(organisation=organisation, managers=membership.user).order_by(
        "title"
    )
    context = {
        "organisation": organisation,
        "membership": membership,
        "led": list(led),
        "general_errors": errors,
    }
    return render(request, "dashboard/roles/remove.html", context)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": invitation.email},
        )
    return redirect(_staff_url(organisation))


@login_required
@require_http_methods(["GET"])
def role_log(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "roles.view_log")
    changes = (
        RoleChange.objects.filter(organisation=organisation)
        .select_related("actor", "person", "project")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(changes, LOG_PAGE).get_page(request.GET.get("seite"))
    context = {"organisation": organisation, "page": page}
    return render(request, "dashboard/roles/log.html", context)


def _project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project.objects.select_related("organisation"), slug=slug)
    _require(request.user, "roles.assign_project_managers", project)
    return project


def _managers_url(project: Project) -> str:
    return reverse("dashboard:project_managers", kwargs={"slug": project.slug})


@login_required
@require_http_methods(["GET", "POST"])
def project_managers(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = ProjectManagerForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.project_manager_add(actor=request.user, project=project, person=person)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s leitet jetzt „%(title)s“.")
                % {"name": person.public_name, "title": project.title},
            )
            return redirect(_managers_url(project))
    managers = list(project.managers.order_by("display_name", "email"))
    context = {
        "project": project,
        "managers": managers,
        "form": form,
        "sees_staff": sees_staff(request.user, project.organisation),
    }
    return render(request, "dashboard/roles/project_managers.html", context)


@login_required
@require_POST
def project_manager_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    project = _project(request, slug)
    person = get_object_or_404(User, pk=user_id)
    try:
        services.project_manager_remove(actor=request.user, project=project, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s leitet „%(title)s“ nicht mehr.")
            % {"name": person.public_name, "title": project.title},
        )
    if not decide(request.user, "roles.assign_project_managers", project):
        return redirect("dashboard:my_projects")
    return redirect(_managers_url(project))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's page: what it offers and how to accept it; accepting needs the
    account of the invited address (signed in); a used, withdrawn or expired link says so."""
    try:
        found: Invitation | None = services.invitation_for_token(token)
        problem = services.invitation_problem(cast(Invitation, found), request.user)
    except ValidationError as error:
        found, problem = None, " ".join(error.messages)
    if request.method == "POST" and found is not None and not problem:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            membership = services.invitation_accept(user=request.user, token=token)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Willkommen! Sie haben jetzt die Rolle „%(role)s“ in %(organisation)s.")
                % {
                    "role": membership.get_role_display(),
                    "organisation": membership.organisation.display_name,
                },
            )
            return redirect("dashboard:my_projects")
    context = {
        "invitation": found,
        "problem": problem,
        "general_errors": [problem] if problem and request.method == "POST" else [],
        "next": request.path,
    }
    return render(request, "dashboard/roles/invitation.html", context, status=200 if found else 404)
