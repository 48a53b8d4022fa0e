"""Staff at an event: the attendee list (printable, CSV) and check-in at the door."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.htmx import HtmxHttpRequest
from mitmachen.core.permissions import decide
from mitmachen.events import services
from mitmachen.events.models import Event, Question, Registration, RegistrationStatus
from mitmachen.events.views import visible_event


@dataclass
class Attendee:
    """A registration in the attendee list with its answers, one per question."""

    registration: Registration
    answers: list[str]


def _attendees(request: HttpRequest, pk: int) -> tuple[Event, list[Question], list[Attendee]]:
    event = visible_event(request, pk)
    viewing = decide(request.user, "events.view_attendees", event)
    if not viewing:
        if not request.user.is_authenticated:
            raise Http404
        raise PermissionDenied(viewing.reason)
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("user")
        .prefetch_related("answers")
        .order_by(F("queued_at").asc(nulls_last=True), "pk")
    )
    questions = list(event.questions.all())
    rows = []
    for registration in registrations:
        given = {a.question_id: a.value for a in registration.answers.all()}
        rows.append(Attendee(registration, [given.get(q.pk, "") for q in questions]))
    return event, questions, rows


@require_http_methods(["GET"])
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event, questions, rows = _attendees(request, pk)
    context = {
        "event": event,
        "questions": questions,
        "confirmed": [r for r in rows if r.registration.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in rows if r.registration.status == RegistrationStatus.WAITLISTED],
        "pending": [r for r in rows if r.registration.status == RegistrationStatus.PENDING],
    }
    return render(request, "events/attendees.html", context)


@require_http_methods(["GET"])
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event, questions, rows = _attendees(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{event.pk}.csv"'
    response.write("\ufeff")  # a spreadsheet program then reads the umlauts right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Name"), _("E-Mail"), _("Status"), _("Gast"), _("angemeldet am"), _("anwesend")]
        + [_csv_safe(q.text) for q in questions]
    )
    for row in rows:
        r = row.registration
        writer.writerow(
            [
                _csv_safe(r.name),
                _csv_safe(r.email),
                r.get_status_display(),
                _("ja") if r.is_guest else _("nein"),
                timezone.localtime(r.queued_at).strftime("%d.%m.%Y %H:%M") if r.queued_at else "",
                timezone.localtime(r.checked_in_at).strftime("%H:%M") if r.checked_in_at else "",
            ]
            + [_csv_safe(value) for value in row.answers]
        )
    return response


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet program will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Check-in at the door -----------------------------------------------------------

SEARCH_MAX = 100


def _check_in_event(request: HttpRequest, pk: int) -> Event:
    event = visible_event(request, pk)
    checking = decide(request.user, "events.check_in", event)
    if not checking:
        if not request.user.is_authenticated:
            raise Http404
        raise PermissionDenied(checking.reason)
    return event


def _check_in_counts(event: Event) -> dict[str, int]:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


@require_http_methods(["GET"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The door list on a phone: the confirmed people, searchable by name, each with a
    button to tick them present (a plain form; htmx updates the row in place)."""
    event = _check_in_event(request, pk)
    search = " ".join(request.GET.get("suche", "").split())[:SEARCH_MAX]
    people = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .annotate(sort_name=Lower(Coalesce("user__display_name", "guest_name")))
        .order_by("sort_name", "pk")
    )
    if search:
        people = people.filter(
            Q(user__display_name__icontains=search) | Q(guest_name__icontains=search)
        )
    context = {
        "event": event,
        "people": list(people),
        "search": search,
        "counts": _check_in_counts(event),
    }
    return render(request, "events/check_in.html", context)


@require_POST
def check_in_set(request: HtmxHttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = _check_in_event(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    present = request.POST.get("anwesend") != "0"
    search = " ".join(request.POST.get("suche", "").split())[:SEARCH_MAX]
    try:
        registration = services.check_in_set(
            user=request.user, registration=registration, present=present
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("events:check_in", pk=event.pk)
    if request.htmx:
        context = {
            "event": event,
            "person": registration,
            "search": search,
            "counts": _check_in_counts(event),
            "oob": True,
        }
        return render(request, "events/partials/check_in_row.html", context)
    name = registration.name
    if registration.checked_in_at:
        messages.success(request, _("%(name)s ist als anwesend eingetragen.") % {"name": name})
    else:
        messages.info(
            request, _("%(name)s ist nicht mehr als anwesend eingetragen.") % {"name": name}
        )
    url = reverse("events:check_in", args=[event.pk])
    query = f"?{urlencode({'suche': search})}" if search else ""
    return redirect(f"{url}{query}#person-{registration.pk}")
