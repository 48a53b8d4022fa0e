"""Thin views: the calendar (list and month), an event, registering, the attendee list
and the iCal feeds. Every page works without JavaScript."""

from __future__ import annotations

import calendar as pycalendar
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.htmx import HtmxHttpRequest
from mitmachen.core.permissions import decide
from mitmachen.core.rate_limit import client_ip, hit
from mitmachen.core.sections import draw
from mitmachen.events import event_map, route, services
from mitmachen.events.collected import collected_at
from mitmachen.events.filters import EventFilter
from mitmachen.events.forms import AnswersForm, ContributionLinkForm, DocumentationForm, GuestForm
from mitmachen.events.ical import calendar_response
from mitmachen.events.models import (
    Documentation,
    Event,
    EventContribution,
    EventQuerySet,
    Question,
    Registration,
    RegistrationStatus,
    Tour,
)
from mitmachen.events.permissions import organises, records_past
from mitmachen.events.services.contributions import LINK_PERMISSION, linkable
from mitmachen.organisations.models import District
from mitmachen.projects import contributions
from mitmachen.projects.models import Project

PAGE_SIZE = 50
SERIES_DATES_SHOWN = 6  # further dates of a series on an event page; the calendar has all
FEED_PAST_DAYS = 90  # feeds keep recent past events, so a calendar app does not lose them
FEED_MAX = 1000
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


def _visible_event(request: HttpRequest, pk: int) -> Event:
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
    return _detail(request, _visible_event(request, pk))


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


def _detail(
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
    event = _visible_event(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    if Registration.objects.filter(event=event, user=request.user).exists():
        return redirect(event)  # registered already (e.g. the form sent twice)
    form = AnswersForm(event.questions.all(), request.POST)
    if not form.is_valid():
        return _detail(request, event, answers_form=form)
    try:
        registration = services.registration_register(
            user=request.user, event=event, answers=form.answers()
        )
    except ValidationError as error:
        attach_errors(form, error)
        return _detail(request, event, answers_form=form)
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
    event = _visible_event(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    had = Registration.objects.filter(event=event, user=request.user).exists()
    services.registration_cancel(
        user=request.user, event=event, site_url=request.build_absolute_uri("/")
    )
    if had:
        messages.success(request, _("Ihre Anmeldung ist storniert."))
    else:
        messages.info(request, _("Nichts zu tun: Sie waren nicht angemeldet."))
    return redirect(event)


GUEST_REGISTRATIONS_PER_HOUR = 20  # per address: enough for a family, not for a script


@require_POST
def guest_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A guest registers with name and e-mail address; the mail brings the personal link."""
    event = _visible_event(request, pk)
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
        return _detail(request, event, form, status=429)
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
    return _detail(request, event, form)


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
    services.guest_cancel(token=token, site_url=request.build_absolute_uri("/"))
    messages.success(request, _("Ihre Anmeldung ist storniert."))
    return redirect(registration.event)


@dataclass
class Attendee:
    """A registration in the attendee list with its answers, one per question."""

    registration: Registration
    answers: list[str]


def _attendees(request: HttpRequest, pk: int) -> tuple[Event, list[Question], list[Attendee]]:
    event = _visible_event(request, pk)
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


# --- Check-in at the door ---------------------------------------------------------

SEARCH_MAX = 100


def _check_in_event(request: HttpRequest, pk: int) -> Event:
    event = _visible_event(request, pk)
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


# --- iCal feeds -----------------------------------------------------------------------


def _feed(request: HttpRequest, events: Any, *, name: str, filename: str) -> HttpResponse:
    """Published events (a calendar app has no session) ending in the last 90 days or later."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    rows = events.published().filter(ends_at__gte=since).order_by("starts_at", "pk")[:FEED_MAX]
    return calendar_response(request, rows, name=name, filename=filename)


@require_http_methods(["GET"])
def feed_all(request: HttpRequest) -> HttpResponse:
    return _feed(
        request, Event.objects.all(), name=_("Alle Veranstaltungen"), filename="veranstaltungen.ics"
    )


@require_http_methods(["GET"])
def feed_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    return calendar_response(request, [event], name=event.title, filename=f"veranstaltung-{pk}.ics")


@require_http_methods(["GET"])
def feed_project(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return _feed(
        request,
        Event.objects.filter(projects=project),
        name=project.title,
        filename=f"veranstaltungen-{project.slug}.ics",
    )


@require_http_methods(["GET"])
def feed_district(request: HttpRequest, slug: str, district_slug: str) -> HttpResponse:
    district = get_object_or_404(
        District.objects.select_related("organisation"),
        organisation__slug=slug,
        slug=district_slug,
    )
    return _feed(
        request,
        Event.objects.filter(district=district),
        name=_("Veranstaltungen in %(name)s") % {"name": district.name},
        filename=f"veranstaltungen-{district.slug}.ics",
    )


@require_http_methods(["GET", "POST"])
def documentation(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff write "Was dabei herauskam" once the event is over (summary, protocol PDF,
    photos with their description). A plain multipart form: works without JavaScript."""
    event = _visible_event(request, pk)
    documenting = decide(request.user, "events.document", event)
    if not documenting:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(documenting.reason)
    existing = Documentation.objects.filter(event=event).first()
    images = list(existing.images.all()) if existing else []
    if request.method == "POST":
        form = DocumentationForm(images, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.documentation_save(
                    user=request.user,
                    event=event,
                    summary=form.cleaned_data["summary"],
                    participants=form.cleaned_data["participants"],
                    protocol=form.cleaned_data["protocol"],
                    remove_protocol=form.cleaned_data["remove_protocol"],
                    image=form.cleaned_data["image"],
                    alt_text=form.cleaned_data["alt_text"],
                    remove_images=form.removed_image_ids(),
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Die Dokumentation ist gespeichert."))
                return redirect(reverse("events:documentation", args=[event.pk]))
    else:
        form = DocumentationForm(
            images,
            initial={
                "summary": existing.summary if existing else "",
                "participants": existing.participants if existing else None,
            },
        )
    return _documentation_page(request, event, form, existing, images)


def _documentation_page(
    request: HttpRequest,
    event: Event,
    form: DocumentationForm,
    existing: Documentation | None,
    images: list[Any],
    link_form: ContributionLinkForm | None = None,
) -> HttpResponse:
    """The documentation form, and below it "Was hier eingebracht wurde": the linked
    contributions with a button to remove each link, and the form to link another."""
    linking = decide(request.user, LINK_PERMISSION, event).allowed
    if linking and link_form is None:
        link_form = ContributionLinkForm(choices=linkable(event, contributions.kinds()))
    context = {
        "event": event,
        "form": form,
        "documentation": existing,
        "images": images,
        "removing": request.POST.getlist("remove_images"),
        "collected": collected_at(request.user, event) if linking else [],
        "link_form": link_form if linking else None,
    }
    failed = (form.is_bound and form.errors) or (link_form is not None and link_form.errors)
    return render(request, "events/documentation_form.html", context, status=400 if failed else 200)


def _documenting(request: HttpRequest, pk: int) -> Event:
    """The event whose documentation page the person may open (or the refusal)."""
    event = _visible_event(request, pk)
    documenting = decide(request.user, "events.document", event)
    if not documenting:
        raise PermissionDenied(documenting.reason)
    return event


@login_required
@require_POST
def contribution_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a contribution handed in offline to the event afterwards (staff, from the
    documentation page). A plain form: works without JavaScript."""
    event = _documenting(request, pk)
    choices = linkable(event, contributions.kinds())
    link_form = ContributionLinkForm(request.POST, choices=choices)
    if link_form.is_valid():
        key, _sep, row_pk = link_form.cleaned_data["contribution"].partition(":")
        kind = contributions.kind(key)
        row = kind.rows().get(pk=int(row_pk))
        try:
            services.contribution_link(user=request.user, event=event, row=row, kind=kind)
        except ValidationError as error:
            for message in error.messages:
                link_form.add_error("contribution", message)
        else:
            messages.success(
                request,
                _("Verknüpft: %(kind)s „%(title)s“.")
                % {"kind": kind.label, "title": kind.title(row)},
            )
            return redirect(reverse("events:documentation", args=[event.pk]) + "#beitraege")
    existing = Documentation.objects.filter(event=event).first()
    images = list(existing.images.all()) if existing else []
    form = DocumentationForm(
        images,
        initial={
            "summary": existing.summary if existing else "",
            "participants": existing.participants if existing else None,
        },
    )
    return _documentation_page(request, event, form, existing, images, link_form)


@login_required
@require_POST
def contribution_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Remove the link of a contribution to the event (the contribution stays)."""
    event = _documenting(request, pk)
    link = get_object_or_404(
        EventContribution.objects.select_related("event"), pk=link_pk, event=event
    )
    try:
        services.contribution_unlink(user=request.user, link=link)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from None
    messages.success(request, _("Die Verknüpfung ist entfernt; der Beitrag bleibt bestehen."))
    return redirect(reverse("events:documentation", args=[event.pk]) + "#beitraege")


# --- The Mitmachmobil tour -------------------------------------------------------------


def _visible_tour(request: HttpRequest, pk: int) -> Tour:
    tour = get_object_or_404(Tour.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("events.view_tour", tour):
        raise Http404
    return tour


def _stop_point(stop: Event) -> dict[str, Any]:
    """A stop as a GeoJSON feature for the map (the timetable is its list equivalent)."""
    local = timezone.localtime(stop.starts_at)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
        "properties": {
            "title": f"{stop.district.name if stop.district else stop.place_name}",
            "when": f"{local:%d.%m.%Y}, {local:%H:%M}–{timezone.localtime(stop.ends_at):%H:%M}",
            "place": stop.place_name,
            "url": stop.get_absolute_url(),
            "cancelled": stop.is_cancelled,
        },
    }


@require_http_methods(["GET"])
def tour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A tour's timetable (a table: the list equivalent of the map) and its map. The
    stops a person may see (drafts only for the municipality's staff); cancelled and
    moved stops stay with their note. Three queries (four signed in), however many stops."""
    tour = _visible_tour(request, pk)
    stops = list(
        Event.objects.visible_to(request.user)
        .filter(tour=tour)
        .select_related("district")
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    context = {
        "tour": tour,
        "stops": stops,
        "next_stop": next((s for s in stops if s.ends_at >= now and not s.is_cancelled), None),
        "now": now,
        "points": {
            "type": "FeatureCollection",
            "features": [_stop_point(s) for s in stops if s.lat is not None],
        },
        "staff": organises(request.user, tour.organisation_id),
    }
    return render(request, "events/tour_detail.html", context)


@require_http_methods(["GET"])
def feed_tour(request: HttpRequest, pk: int) -> HttpResponse:
    tour = _visible_tour(request, pk)
    return _feed(
        request,
        Event.objects.filter(tour=tour),
        name=_("Mitmachmobil: %(title)s") % {"title": tour.title},
        filename=f"mitmachmobil-{tour.pk}.ics",
    )
