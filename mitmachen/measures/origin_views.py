"""Staff turn a contribution of another module (``projects.origins``) into a measure, or
link it to an existing one, and unlink an origin from a measure. Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.measures import services
from mitmachen.measures.forms import FromOriginForm
from mitmachen.measures.models import Goal, Measure, MeasureOrigin
from mitmachen.measures.origins import measures_from
from mitmachen.measures.permissions import manages_in
from mitmachen.projects.origins import kind as origin_kind


@login_required
@require_http_methods(["GET", "POST"])
def from_origin(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    try:
        kind = origin_kind(key)
    except KeyError:
        raise Http404 from None
    row = get_object_or_404(kind.rows(), pk=pk)
    organisation_id = kind.organisation_id(row)
    if organisation_id is None or not manages_in(request.user, organisation_id):
        raise Http404
    decision = decide(request.user, "measures.measure_from_origin", row)
    if not decision:
        messages.error(request, decision.reason)
        return redirect(kind.url(row))
    existing = measures_from(request.user, row, kind)
    goals = Goal.objects.filter(field__organisation_id=organisation_id).select_related("field")
    linked = Measure.objects.filter(
        origins__content_type__app_label=kind.model_class._meta.app_label,
        origins__content_type__model=kind.model_class._meta.model_name,
        origins__object_id=row.pk,
    ).values("pk")
    choices = (
        Measure.objects.filter(organisation_id=organisation_id)
        .exclude(pk__in=linked)
        .select_related("goal")
        .order_by("title", "pk")
    )
    initial = {"title": kind.title(row), "published": True}
    form = FromOriginForm(
        request.POST if request.method == "POST" else None,
        goals=goals if not existing else goals.none(),
        measures=choices,
        initial=initial,
    )
    if existing:
        # A contribution becomes a measure once; further measures are linked.
        for name in ("goal", "title", "description", "published"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("measure") is not None:
                services.origin_add(user=request.user, measure=data["measure"], origin=row)
                measure = data["measure"]
                messages.success(request, _("Der Beitrag ist mit der Maßnahme verknüpft."))
            else:
                measure = services.measure_from_origin(
                    user=request.user,
                    origin=row,
                    goal=data["goal"],
                    title=data["title"],
                    description=data["description"],
                    published=data["published"],
                )
                messages.success(
                    request, _("Die Maßnahme ist angelegt; die Beteiligten sind benachrichtigt.")
                )
        except ValidationError as error:
            # Also "already a measure" (a parallel conversion): at the top of the form.
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(kind.url(row))
        else:
            return redirect(measure)
    context = {
        "kind": kind,
        "row": row,
        "row_title": kind.title(row),
        "row_url": kind.url(row),
        "existing": existing,
        "form": form,
    }
    return render(request, "measures/from_origin.html", context)


@login_required
@require_POST
def origin_remove(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(MeasureOrigin.objects.select_related("measure"), pk=pk)
    if not manages_in(request.user, reference.measure.organisation_id):
        raise Http404
    services.origin_remove(user=request.user, reference=reference)
    messages.success(request, _("Die Verknüpfung ist entfernt; der Beitrag bleibt bestehen."))
    return redirect(reference.measure)
