"""Staff enter a meeting after it took place ("Vergangene Veranstaltung nachtragen"):
one plain form, without JavaScript, for the administration and project managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.core.forms import attach_errors
from mitmachen.events import services
from mitmachen.events.forms import PAST_EVENT_FIELDS, PastEventForm
from mitmachen.events.permissions import organised_by


@require_http_methods(["GET", "POST"])
def record_past(request: HttpRequest) -> HttpResponse:
    """The form; on success the new event's documentation form, where photos and the
    protocol are added."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = organised_by(request.user)
    if not organisations.exists():
        raise PermissionDenied(
            _(
                "Vergangene Veranstaltungen tragen nur die Verwaltung und die "
                "Projektleitungen der Kommune nach."
            )
        )
    form = PastEventForm(organisations, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            event = services.past_event_record(user=request.user, **form.service_fields())
        except ValidationError as error:
            attach_errors(form, error, rename=PAST_EVENT_FIELDS)
        except PermissionDenied as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(
                request,
                _(
                    "Die Veranstaltung ist nachgetragen und steht im Rückblick. Fotos und "
                    "ein Protokoll können Sie hier hinzufügen."
                ),
            )
            return redirect(reverse("events:documentation", args=[event.pk]))
    return render(
        request,
        "events/past_event_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
