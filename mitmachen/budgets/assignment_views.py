"""Staff name who reviews an idea (``services.idea_assign_reviewer``); the form sits on
the idea's review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitmachen.budgets import services
from mitmachen.budgets.forms import AssignForm
from mitmachen.budgets.models import Idea
from mitmachen.budgets.permissions import manages


@login_required
@require_POST
def idea_assign(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.select_related("budget__project"), pk=pk)
    if not manages(request.user, idea.budget.project):
        raise Http404
    form = AssignForm(request.POST, project=idea.budget.project)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reviewer", [])))
        return redirect("budgets:review", pk=idea.pk)
    reviewer = form.cleaned_data["reviewer"]
    try:
        services.idea_assign_reviewer(user=request.user, idea=idea, reviewer=reviewer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect(idea)
    else:
        messages.success(
            request,
            _("Zuständig für die Prüfung: %(name)s.")
            % {"name": reviewer.display_name or reviewer.email}
            if reviewer
            else _("Für die Prüfung ist niemand mehr eingetragen."),
        )
    return redirect("budgets:review", pk=idea.pk)
