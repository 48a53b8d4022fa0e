"""Views of selecting by supports: supporting an idea (residents) and fixing which ideas
of a group go to the ballot (staff). Plain forms: they work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.budgets import support_services
from mitmachen.budgets.forms import SelectionForm
from mitmachen.budgets.models import BudgetGroup, Idea
from mitmachen.budgets.permissions import manages
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide


@login_required
@require_POST
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support an idea (``unterstuetzen=1``) or take the support back (``0``)."""
    idea = get_object_or_404(Idea.objects.select_related("budget__project"), pk=pk)
    if not request.user.has_perm("projects.view_project", idea.budget.project):
        raise Http404
    value = request.POST.get("unterstuetzen")
    if value not in ("0", "1"):
        messages.error(request, _("Die Anfrage war ungültig; es wurde nichts geändert."))
        return redirect(idea)
    try:
        if value == "1":
            support_services.idea_support(user=request.user, idea=idea)
        else:
            support_services.idea_unsupport(user=request.user, idea=idea)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Sie unterstützen diese Idee.")
            if value == "1"
            else _("Sie unterstützen diese Idee nicht mehr."),
        )
    return redirect(idea)


@login_required
@require_http_methods(["GET", "POST"])
def group_selection(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the group's feasible ideas by supports, and which of them go to the ballot."""
    group = get_object_or_404(
        BudgetGroup.objects.select_related(
            "budget__project__organisation", "selected_by"
        ).prefetch_related("budget__project__phases"),
        pk=pk,
    )
    budget = group.budget
    if not manages(request.user, budget.project):
        raise Http404
    selecting = decide(request.user, "budgets.select_for_ballot", group)
    initial = {"rule": group.selection_rule or "top", "value": group.selection_value}
    form = SelectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and not selecting:
        messages.error(request, selecting.reason)
        return redirect("budgets:selection", pk=group.pk)
    if request.method == "POST" and form.is_valid():
        try:
            chosen = support_services.group_select(
                user=request.user, group=group, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect("budgets:selection", pk=group.pk)
        else:
            messages.success(
                request,
                _("Die Auswahl ist festgelegt: %(n)d Ideen kommen auf den Stimmzettel.")
                % {"n": len(chosen)},
            )
            return redirect(budget)
    context = {
        "group": group,
        "budget": budget,
        "project": budget.project,
        "ideas": support_services.ranked(group),
        "form": form if selecting else None,
        "selecting": selecting,
    }
    return render(request, "budgets/selection.html", context, status=400 if form.errors else 200)
