"""The proposals' part of setting up a project in the site (``module.SETUP``): how
supports count – the quorum and who may support. Written through
``services.proposal_settings_save``; the permission is the project's own
(``projects.change_project``)."""

from __future__ import annotations

from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mitmachen.core.forms import attach_errors
from mitmachen.projects.models import Project, SupportEligibility
from mitmachen.proposals import services
from mitmachen.proposals.models import PROPOSE, SUPPORT, Support


class ProposalSettingsForm(forms.Form):
    support_quorum = forms.IntegerField(
        label=gettext_lazy("Quorum"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        # Text, not type=number: a wrong entry comes back as typed, in valid HTML.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy(
            "Ab so vielen Unterstützungen gilt ein Vorschlag als „Quorum erreicht“ "
            "und wird der Verwaltung vorgelegt. Leer: kein Quorum."
        ),
    )
    support_eligibility = forms.ChoiceField(
        label=gettext_lazy("Wer darf unterstützen?"),
        choices=SupportEligibility.choices,
        widget=forms.RadioSelect,
    )


def setup_part(request: HttpRequest, project: Project) -> dict[str, Any]:
    """What the set-up page shows of the proposals: the rules and whether supports exist
    (one query)."""
    actions = {a for p in project.ordered_phases() for a in p.actions}
    return {
        "quorum": project.support_quorum,
        "eligibility": project.get_support_eligibility_display(),
        "proposals_allowed": PROPOSE in actions,
        "supports_allowed": SUPPORT in actions,
        "has_supports": Support.objects.filter(proposal__project=project).exists(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_settings(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("organisation"), slug=slug)
    if not rules.has_perm("projects.change_project", request.user, project):
        raise PermissionDenied
    form = ProposalSettingsForm(
        request.POST or None,
        initial={
            "support_quorum": project.support_quorum,
            "support_eligibility": project.support_eligibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_settings_save(
                user=request.user,
                project=project,
                support_quorum=form.cleaned_data["support_quorum"],
                support_eligibility=form.cleaned_data["support_eligibility"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen für Vorschläge sind gespeichert."))
            return redirect(f"{project_setup_url(project)}#inhalte-vorschlaege")
    has_supports = Support.objects.filter(proposal__project=project).exists()
    context = {"form": form, "project": project, "has_supports": has_supports}
    return render(request, "proposals/setup/settings.html", context)


def project_setup_url(project: Project) -> str:
    from django.urls import reverse

    return reverse("dashboard:project_setup", kwargs={"slug": project.slug})
