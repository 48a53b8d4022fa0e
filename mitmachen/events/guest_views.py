"""Registering as a guest (no account): the form on the event page, and the guest's
personal page from the mail to confirm, see the status and cancel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.core.rate_limit import client_ip, hit
from mitmachen.events import services
from mitmachen.events.forms import GuestForm
from mitmachen.events.models import Registration, RegistrationStatus
from mitmachen.events.views import detail_page, visible_event

GUEST_REGISTRATIONS_PER_HOUR = 20  # per address: enough for a family, not for a script


@require_POST
def guest_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A guest registers with name and e-mail address; the mail brings the personal link."""
    event = visible_event(request, pk)
    if request.user.is_authenticated:
        return redirect(event)
    form = GuestForm(event.questions.all(), request.POST)
    if not hit("event-guest", client_ip(request), limit=GUEST_REGISTRATIONS_PER_HOUR, window=3600):
        form.add_error(
            None,
            _(
                "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Anmeldungen. "
                "Bitte versuchen Sie es später noch einmal."
            ),
        )
        return detail_page(request, event, form, status=429)
    if form.is_valid():
        try:
            services.guest_register(
                event=event,
                name=form.cleaned_data["guest_name"],
                email=form.cleaned_data["guest_email"],
                site_url=request.build_absolute_uri("/"),
                answers=form.answers(),
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(event)
        else:
            messages.success(
                request,
                _(
                    "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen "
                    "Sie Ihre Anmeldung mit dem Link darin."
                ),
            )
            return redirect(event)
    return detail_page(request, event, form)


def _guest(token: str) -> Registration:
    registration = services.guest_registration(token)
    if registration is None:
        raise Http404
    return registration


@require_http_methods(["GET"])
def guest_page(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's personal page (the link in the mail): confirm, see the status, cancel.
    Confirming is a button (POST): mail programs that open links to check them would
    otherwise confirm by themselves."""
    registration = _guest(token)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "refusal": decide(request.user, "events.register_guest", event).reason
        if registration.status == RegistrationStatus.PENDING
        else "",
    }
    response = render(request, "events/guest.html", context)
    # The address holds the personal key: it must not go to other hosts. ("no-referrer"
    # would make the browser send "Origin: null" with the buttons, which CSRF refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def guest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    registration = _guest(token)
    try:
        confirmed = services.guest_confirm(token=token)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if confirmed.is_confirmed:
            messages.success(request, _("Sie sind angemeldet. Wir freuen uns auf Sie!"))
        else:
            messages.info(request, _("Alle Plätze sind vergeben; Sie stehen auf der Warteliste."))
    return redirect("events:guest", token=registration.token)


@require_POST
def guest_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _guest(token)
    try:
        services.guest_cancel(token=token, site_url=request.build_absolute_uri("/"))
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("events:guest", token=registration.token)
    messages.success(request, _("Ihre Anmeldung ist storniert."))
    return redirect(registration.event)
