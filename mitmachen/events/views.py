"""Thin views: the calendar (list, month, Rückblick, map), an event's page and
registering with an account. Every page works without JavaScript.

The other views of the module, by what they serve: ``guest_views`` (registering as a
guest), ``attendee_views`` (the attendee list and check-in at the door),
``documentation_views`` (what came out, and the contributions collected at the event),
``feed_views`` (iCal), ``tour_views`` (the Mitmachmobil), ``office_views`` (a project
office) and ``past_views`` (recording a meeting afterwards)."""

from __future__ import annotations

import calendar as pycalendar
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.core.sections import draw
from mitmachen.events import event_map, route, services
from mitmachen.events.collected import collected_at
from mitmachen.events.filters import EventFilter
from mitmachen.events.forms import AnswersForm, GuestForm
from mitmachen.events.models import (
    Documentation,
    Event,
    EventContribution,
    EventQuerySet,
    Registration,
    RegistrationStatus,
)
from mitmachen.events.permissions import records_past
from mitmachen.organisations.models import District

PAGE_SIZE = 50
SERIES_DATES_SHOWN = 6  # further dates of a series on an event page; the calendar has all
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(request: HttpRequest) -> date:
    """The month asked for (``monat=2026-03``), or this month, with a message if invalid."""
    today = timezone.localdate()
    value = request.GET.get("monat", "")
    if not value:
        return today.replace(day=1)
    match = MONTH.match(value)
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    messages.warning(
        request,
        _("„%(value)s“ ist kein Monat (Beispiel: 2026-03); hier ist der aktuelle.")
        % {"value": value},
    )
    return today.replace(day=1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month_weeks(first: date, events: list[Event]) -> list[list[dict[str, Any]]]:
    """The weeks (Monday first) of the month, each day with the events starting on it."""
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localdate(event.starts_at), []).append(event)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            {"date": day, "in_month": day.month == first.month, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in weeks
    ]


@require_http_methods(["GET"])
def calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming events grouped by day, one month as a table (``ansicht=monat``), the
    documented past ones (``ansicht=rueckblick``) or the next ones on a map with their
    places as a list (``ansicht=karte``, ``event_map``)."""
    visible = Event.objects.visible_to(request.user).for_listing()
    filterset = EventFilter(request.GET or None, queryset=visible, request=request)
    events: EventQuerySet = filterset.qs.distinct()  # type: ignore[assignment]
    month_view = request.GET.get("ansicht") == "monat"
    review = request.GET.get("ansicht") == "rueckblick"
    map_view = request.GET.get("ansicht") == "karte"
    context: dict[str, Any] = {
        "form": filterset.form,
        "month_view": month_view,
        "review": review,
        "map_view": map_view,
    }
    if map_view:
        context.update(event_map.upcoming_map(events))
    elif review:
        # "Rückblick": events that are over and documented, the latest first.
        documented = (
            events.filter(ends_at__lt=timezone.now(), documentation__isnull=False)
            .select_related("documentation")
            .annotate(photo_count=Count("documentation__images", distinct=True))
            .order_by("-starts_at", "-pk")
        )
        context["page"] = Paginator(documented, PAGE_SIZE).get_page(request.GET.get("seite"))
        context["records_past"] = records_past(request.user)
    elif month_view:
        first = _month(request)
        after = (first + timedelta(days=32)).replace(day=1)
        in_month = events.filter(starts_at__lt=_aware(after), ends_at__gte=_aware(first))
        context.update(
            month=first,
            previous=(first - timedelta(days=1)).replace(day=1),
            next=after,
            weeks=_month_weeks(first, list(in_month)),
            weekdays=[(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
        )
    else:
        page = Paginator(events.upcoming(), PAGE_SIZE).get_page(request.GET.get("seite"))
        days: dict[date, list[Event]] = {}
        for event in page.object_list:
            days.setdefault(timezone.localdate(event.starts_at), []).append(event)
        context.update(page=page, days=list(days.items()))
    return render(request, "events/calendar.html", context)


def visible_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(
        Event.objects.select_related("organisation", "district", "series", "tour")
        .prefetch_related("projects")
        # "Was hier eingebracht wurde" reads the links only when there are some.
        .annotate(has_contributions=Exists(EventContribution.objects.filter(event=OuterRef("pk")))),
        pk=pk,
    )
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    return event


@require_http_methods(["GET"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, visible_event(request, pk))


def _route(event: Event) -> dict[str, Any] | None:
    """A city walk's route: its stops as a list, its length and the map (one query for
    the Ortsteil boundaries, only when there is a route)."""
    if not event.route:
        return None
    districts = list(
        District.objects.filter(organisation_id=event.organisation_id)
        .order_by("name")
        .values_list("name", "geometry")
    )
    return {
        "stops": route.stops(event.route),
        "km": route.length_m(event.route) / 1000,
        "map": route.route_map(event.route, districts),
    }


def detail_page(
    request: HttpRequest,
    event: Event,
    guest_form: GuestForm | None = None,
    status: int = 200,
    answers_form: AnswersForm | None = None,
) -> HttpResponse:
    user = request.user
    guest_allowed = decide(user, "events.register_guest", event).allowed
    registering = decide(user, "events.register", event)
    questions = list(event.questions.all()) if event.registration_enabled else []
    registration = (
        Registration.objects.filter(event=event, user=user).first()
        if user.is_authenticated
        else None
    )
    counts = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITLISTED: 0}
    if event.registration_enabled:
        counts.update({row["status"]: row["n"] for row in _count_by_status(event)})
    confirmed = counts[RegistrationStatus.CONFIRMED]
    staff = decide(user, "events.view_attendees", event).allowed
    checking_in = decide(user, "events.check_in", event).allowed
    waitlist_position = None
    if registration is not None and not registration.is_confirmed:
        waitlist_position = Registration.objects.filter(
            event=event,
            status=RegistrationStatus.WAITLISTED,
            created_at__lte=registration.created_at,
        ).count()
    series_dates = (
        list(
            Event.objects.visible_to(user)
            .filter(series_id=event.series_id)
            .exclude(pk=event.pk)
            .upcoming()
            .order_by("starts_at", "pk")[:SERIES_DATES_SHOWN]
        )
        if event.series_id
        else []
    )
    documentation = (
        Documentation.objects.filter(event=event).prefetch_related("images").first()
        if event.has_ended
        else None
    )
    context = {
        "event": event,
        "route": _route(event),
        "tour": event.tour
        if event.tour and user.has_perm("events.view_tour", event.tour)
        else None,
        "documentation": documentation,
        "documenting": decide(user, "events.document", event).allowed,
        # What other modules show under the event ("Was daraus wurde": measures).
        "footer": draw(request, "event.footer", event),
        "collected": collected_at(user, event)
        if getattr(event, "has_contributions", False)
        else [],
        "series_rule": event.series.describe(timezone.localtime(event.starts_at).weekday())
        if event.series
        else "",
        "series_dates": series_dates,
        "projects": [p for p in event.projects.all() if user.has_perm("projects.view_project", p)],
        "registration": registration,
        "waitlist_position": waitlist_position,
        "registering": registering,
        "answers_form": answers_form
        or (AnswersForm(questions) if registering.allowed and registration is None else None),
        "confirmed_count": confirmed,
        "waitlist_count": counts[RegistrationStatus.WAITLISTED],
        "free_places": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "show_online_url": bool(event.online_url)
        and (
            not event.online_url_registered_only
            or staff
            or (registration is not None and registration.is_confirmed)
        ),
        "staff": staff,
        "checking_in": checking_in,
        "guest_form": guest_form
        or (GuestForm(questions) if not user.is_authenticated and guest_allowed else None),
    }
    return render(request, "events/event_detail.html", context, status=status)


def _count_by_status(event: Event) -> Any:
    return (
        Registration.objects.filter(event=event).values("status").annotate(n=Count("pk")).order_by()
    )


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    if Registration.objects.filter(event=event, user=request.user).exists():
        return redirect(event)  # registered already (e.g. the form sent twice)
    form = AnswersForm(event.questions.all(), request.POST)
    if not form.is_valid():
        return detail_page(request, event, answers_form=form)
    try:
        registration = services.registration_register(
            user=request.user, event=event, answers=form.answers()
        )
    except ValidationError as error:
        attach_errors(form, error)
        return detail_page(request, event, answers_form=form)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if registration.is_confirmed:
            messages.success(request, _("Sie sind angemeldet. Wir freuen uns auf Sie!"))
        else:
            messages.info(
                request,
                _(
                    "Alle Plätze sind vergeben; Sie stehen auf der Warteliste. Wird ein Platz "
                    "frei, rücken Sie automatisch nach und bekommen Bescheid."
                ),
            )
    return redirect(event)


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    had = Registration.objects.filter(event=event, user=request.user).exists()
    try:
        services.registration_cancel(
            user=request.user, event=event, site_url=request.build_absolute_uri("/")
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if had:
            messages.success(request, _("Ihre Anmeldung ist storniert."))
        else:
            messages.info(request, _("Nichts zu tun: Sie waren nicht angemeldet."))
    return redirect(event)
