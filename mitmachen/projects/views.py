from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.htmx import HtmxHttpRequest, render_page_or_fragment
from mitmachen.core.page_cache import anonymous_page
from mitmachen.core.sections import draw
from mitmachen.organisations.views import districts_geojson
from mitmachen.projects import invitation_services, services
from mitmachen.projects.filters import ProjectFilter
from mitmachen.projects.models import Project, ProjectInvitation, ProjectMembership
from mitmachen.projects.permissions import can_follow_project
from mitmachen.projects.selectors import project_id_by_slug, visible_project_or_404

PAGE_SIZE = 20


def _visible_project(request: HttpRequest, slug: str) -> Project:
    return visible_project_or_404(
        request.user,
        slug,
        prefetch=("phases", "topics", "districts__organisation", "partner_organisations"),
    )


@require_http_methods(["GET"])
def project_list(request: HttpRequest) -> HttpResponse:
    filterset = ProjectFilter(
        request.GET or None, queryset=Project.objects.visible_to(request.user).for_listing()
    )
    projects = filterset.qs.order_by("-ends_at", "title")
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {"form": filterset.form, "page": page}
    return render_page_or_fragment(
        request, "projects/project_list.html", "projects/project_list.html#results", context
    )


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    user = request.user
    districts = list(project.districts.all())
    context = {
        "project": project,
        "phases": project.ordered_phases(),
        "current_phase": project.current_phase(),
        "is_following": user.is_authenticated and project.follows.filter(user=user).exists(),
        "can_follow": can_follow_project(user, project),
        "can_change": user.has_perm("projects.change_project", project),
        # What the modules add (projects.modules): surveys, proposals, debates, …
        "sections": draw(request, "project", project),
        "discussion": draw(request, "project.discussion", project),
        "districts": districts,
        "districts_geojson": districts_geojson(districts),
        "demo_boundaries": any(d.is_demo_boundary for d in districts),
    }
    return render(request, "projects/project_detail.html", context)


@login_required
@require_POST
def project_follow(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if not can_follow_project(request.user, project):
        messages.error(request, _("Diesem Beteiligungsprozess kann man nicht folgen."))
        return redirect(project)
    if request.POST.get("folgen") == "0":
        services.project_unfollow(user=request.user, project=project)
        following = False
        message = _("Sie folgen diesem Beteiligungsprozess nicht mehr.")
    else:
        services.project_follow(user=request.user, project=project)
        following = True
        message = _("Sie folgen jetzt diesem Beteiligungsprozess.")
    if request.htmx:
        return render(
            request,
            "projects/partials/follow_button.html",
            {
                "project": project,
                "is_following": following,
                "can_follow": True,
                "status_message": message,
            },
        )
    messages.success(request, message)
    return redirect(project)


@require_http_methods(["GET"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation mail leads: into the project for the invited person, else the
    way there (sign up or log in with the invited address); a withdrawn or tampered
    invitation says so."""
    from allauth.account.models import EmailAddress

    found = invitation_services.invitation_from_token(token)
    project = (
        Project.objects.select_related("organisation").filter(pk=found[0]).first()
        if found
        else None
    )
    email = found[1] if found else ""
    if project is not None and not (
        ProjectInvitation.objects.filter(project=project, email=email).exists()
        or ProjectMembership.objects.filter(
            project=project,
            user__in=EmailAddress.objects.filter(email__iexact=email, verified=True).values("user"),
        ).exists()
    ):
        project = None  # withdrawn (or the member was removed)
    if project is not None and request.user.has_perm("projects.view_project", project):
        messages.success(
            request, _("Willkommen im Beteiligungsprozess „%(title)s“.") % {"title": project.title}
        )
        return redirect(project)
    context = {"project": project, "email": email}
    return render(request, "projects/invitation.html", context, status=200 if project else 404)
