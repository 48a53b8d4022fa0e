"""Staff start the correction of a confirmed stack of paper ballots
(``correction_services``); entering and confirming it are the stack pages' own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.budgets.correction_services import paper_batch_correct
from mitmachen.budgets.forms import CorrectionForm
from mitmachen.budgets.models import PaperBatch
from mitmachen.budgets.permissions import manages
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide


@login_required
@require_http_methods(["GET", "POST"])
def paper_batch_correction(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        PaperBatch.objects.select_related("group__budget__project__organisation"), pk=pk
    )
    if not manages(request.user, batch.group.budget.project):
        raise Http404
    correcting = decide(request.user, "budgets.correct_paper_batch", batch)
    if not correcting:
        messages.error(request, correcting.reason)
        return redirect(batch)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = paper_batch_correct(
                user=request.user, batch=batch, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect(batch)
        else:
            messages.success(
                request,
                _(
                    "Die Korrektur ist angelegt, mit allen Stimmzetteln des Stapels. Löschen "
                    "Sie die falschen und geben Sie die richtigen ein; eine zweite Person "
                    "bestätigt sie."
                ),
            )
            return redirect(correction)
    group = batch.group
    context = {
        "batch": batch,
        "group": group,
        "budget": group.budget,
        "project": group.budget.project,
        "form": form,
    }
    return render(
        request, "budgets/paper_correction.html", context, status=400 if form.errors else 200
    )
