"""Inviting residents into a private project (the set-up's "Einladungen" page).

Staff type e-mail addresses; ``projects.invitation_services.project_invite`` makes a confirmed
account a member at once and leaves an open invitation for any other address (it becomes
a membership when its owner confirms the address), and mails both. Removing a member or
withdrawing an open invitation also goes through ``projects.invitation_services``. The permission is
the project's own (``projects.change_project``), as on every set-up page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.dashboard.setup_views import _project_to_change
from mitmachen.projects import invitation_services
from mitmachen.projects.models import Project, ProjectInvitation, ProjectMembership, Visibility


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("E-Mail-Adressen"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Eine Adresse pro Zeile (oder durch Kommas getrennt), höchstens 50 auf einmal."
        ),
    )

    def addresses(self) -> list[str]:
        text = self.cleaned_data.get("emails") or ""
        return [part.strip() for part in text.replace(",", "\n").replace(";", "\n").splitlines()]


def _url(project: Project) -> str:
    return reverse("dashboard:project_invitations", kwargs={"slug": project.slug})


def _context(project: Project, form: InviteForm) -> dict[str, Any]:
    return {
        "project": project,
        "form": form,
        "members": list(
            ProjectMembership.objects.filter(project=project)
            .select_related("user")
            .order_by("user__email")
        ),
        "invitations": list(ProjectInvitation.objects.filter(project=project).order_by("email")),
        "is_private": project.visibility == Visibility.PRIVATE,
    }


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_to_change(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = invitation_services.project_invite(
                user=request.user, project=project, emails=form.addresses()
            )
        except ValidationError as error:
            for errors in error.message_dict.values():
                form.add_error("emails", errors)
        else:
            if result["members"]:
                messages.success(
                    request,
                    _("Eingeladen und sofort dabei (Konto vorhanden): %(addresses)s")
                    % {"addresses": ", ".join(result["members"])},
                )
            if result["invited"]:
                messages.success(
                    request,
                    _(
                        "Eingeladen; dabei, sobald die Person ein Konto mit der Adresse "
                        "angelegt und bestätigt hat: %(addresses)s"
                    )
                    % {"addresses": ", ".join(result["invited"])},
                )
            if result["already"]:
                messages.info(
                    request,
                    _("Schon eingeladen (keine neue E-Mail): %(addresses)s")
                    % {"addresses": ", ".join(result["already"])},
                )
            return redirect(_url(project))
    return render(request, "dashboard/invitations/page.html", _context(project, form))


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_to_change(request, slug)
    membership = get_object_or_404(
        ProjectMembership.objects.select_related("user", "project"), pk=pk, project=project
    )
    invitation_services.project_membership_remove(user=request.user, membership=membership)
    messages.success(
        request,
        _("%(email)s ist nicht mehr eingeladen.") % {"email": membership.user.email},
    )
    return redirect(_url(project))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_to_change(request, slug)
    invitation = get_object_or_404(
        ProjectInvitation.objects.select_related("project"), pk=pk, project=project
    )
    invitation_services.project_invitation_revoke(user=request.user, invitation=invitation)
    messages.success(
        request, _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": invitation.email}
    )
    return redirect(_url(project))
