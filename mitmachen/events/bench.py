"""The events' pages in ``make bench`` (``ParticipationModule.bench``): a city-size event
set in the municipality of the benchmark's big project.

- 300 events over two years (the past year and the next), spread over its Ortsteile and
  all kinds, each belonging to the big project;
- a series of 24 monthly Werkstatttreffen ("jeden 2. Dienstag", half past, half to come);
- one event with 200 registrations: 150 places taken, 50 on the waitlist, each with the
  answer to a yes/no question (the attendee list shows it);
- a Mitmachmobil tour of 80 stops (two a day, over its Ortsteile) and 3 project offices
  with weekly hours and closures (on the municipality page and in every page's footer);
- what came out of the past events: a documentation (summary, number of participants)
  for each of the 150 single events that are over – the page of the latest and the
  calendar's "Rückblick" are measured.

With ``context.small`` (the suite) a handful of each. Bulk inserts; ``changed`` after them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mitmachen.events.models import (
    ONLINE_KINDS,
    Answer,
    Closure,
    Documentation,
    Event,
    Frequency,
    Kind,
    Office,
    OpeningHours,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Series,
    Tour,
    WeekOfMonth,
)
from mitmachen.events.services import series_dates
from mitmachen.organisations.models import District
from mitmachen.projects.modules import BenchContext, BenchPage, changed

LOCAL = ZoneInfo(settings.TIME_ZONE)
BIG_EVENT_TITLE = "Bürgerforum Stadtentwicklung (Lastdaten)"
SERIES_TITLE = "Werkstatttreffen Klima (Lastdaten)"
NOTE = "Eine erfundene Veranstaltung der Lastdaten."
PLACES = ["Rathaus, Saal 1", "Dorfgemeinschaftshaus", "Feuerwehrhaus", "Kirche", "Schule"]
KINDS = list(Kind)


def _local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL)


def _event(
    context: BenchContext,
    *,
    title: str,
    kind: str,
    starts: datetime,
    district: District | None,
    i: int = 0,
) -> Event:
    place = PLACES[i % len(PLACES)] if kind != Kind.ONLINE else ""
    return Event(
        organisation_id=context.project.organisation_id,
        district=district,
        kind=kind,
        title=title,
        description=NOTE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place_name=f"{place}, {district.name}" if place and district else place,
        online_url="https://konferenz.example.org/raum" if kind in ONLINE_KINDS else "",
        is_published=True,
        step_free=i % 2 == 0,
    )


def _add_to_project(context: BenchContext, events: list[Event]) -> None:
    Event.projects.through.objects.bulk_create(
        Event.projects.through(event_id=e.pk, project_id=context.project.pk) for e in events
    )


def _events(context: BenchContext, districts: list[District]) -> None:
    """The many single events, half past and half to come, over two years."""
    n = 12 if context.small else 300
    today = timezone.localdate()
    events = Event.objects.bulk_create(
        _event(
            context,
            title=f"{KINDS[i % len(KINDS)].label} {i + 1} (Lastdaten)",
            kind=KINDS[i % len(KINDS)],
            starts=_local(today - timedelta(days=365) + timedelta(days=730 * i // n), 10 + i % 9),
            district=districts[i % len(districts)] if districts else None,
            i=i,
        )
        for i in range(n)
    )
    _add_to_project(context, events)
    context.log(f"{n} Veranstaltungen über zwei Jahre angelegt.")


def _series(context: BenchContext, districts: list[District]) -> None:
    """A monthly series, its first date about a year ago (2nd Tuesday, 18:00)."""
    n = 4 if context.small else 24
    month = (timezone.localdate() - timedelta(days=30 * (n // 2))).replace(day=1)
    first_day = month + timedelta(days=(1 - month.weekday()) % 7 + 7)  # 2nd Tuesday
    first = _local(first_day, 18)
    further = series_dates(
        first=first,
        frequency=Frequency.MONTHLY,
        interval=1,
        week_of_month=WeekOfMonth.SECOND,
        until=first_day + timedelta(days=31 * n),
    )
    starts = [first.replace(tzinfo=None), *further[: n - 1]]
    series = Series.objects.create(
        organisation_id=context.project.organisation_id,
        title=SERIES_TITLE,
        frequency=Frequency.MONTHLY,
        week_of_month=WeekOfMonth.SECOND,
        until=starts[-1].date(),
    )
    district = districts[0] if districts else None
    events = []
    for start in starts:
        event = _event(
            context,
            title=SERIES_TITLE,
            kind=Kind.WORKSHOP_MEETING,
            starts=start.replace(tzinfo=LOCAL),
            district=district,
        )
        event.series = series
        events.append(event)
    _add_to_project(context, Event.objects.bulk_create(events))
    context.log(f"Eine Reihe mit {n} Werkstatttreffen angelegt.")


def _big_event(context: BenchContext, districts: list[District]) -> Event:
    """An upcoming event with 200 registrations (150 places, 50 waiting) and answers."""
    n, capacity = (8, 5) if context.small else (200, 150)
    event = _event(
        context,
        title=BIG_EVENT_TITLE,
        kind=Kind.CONFERENCE,
        starts=_local(timezone.localdate() + timedelta(days=21), 18),
        district=districts[0] if districts else None,
    )
    event.registration_enabled = True
    event.capacity = capacity
    event.save()
    _add_to_project(context, [event])
    question = Question.objects.create(
        event=event, text="Brauchen Sie eine Gebärdensprachdolmetschung?", kind=QuestionKind.YES_NO
    )
    authors = list(context.accounts.values_list("pk", flat=True)[:n])
    queued = timezone.now() - timedelta(days=14)
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event,
            user_id=user_id,
            status=RegistrationStatus.CONFIRMED if i < capacity else RegistrationStatus.WAITLISTED,
            queued_at=queued + timedelta(minutes=i),
        )
        for i, user_id in enumerate(authors)
    )
    Answer.objects.bulk_create(
        Answer(registration=r, question=question, value="ja" if i % 10 == 0 else "nein")
        for i, r in enumerate(registrations)
    )
    context.log(f"Eine Veranstaltung mit {len(registrations)} Anmeldungen angelegt.")
    return event


@transaction.atomic
def _data(context: BenchContext) -> Event:
    organisation_id = context.project.organisation_id
    existing = Event.objects.filter(organisation_id=organisation_id, title=BIG_EVENT_TITLE).first()
    if existing is not None:
        return existing
    districts = list(District.objects.filter(organisation_id=organisation_id).order_by("pk"))
    _events(context, districts)
    _series(context, districts)
    event = _big_event(context, districts)
    changed(everywhere=True)  # events show on every page (stale_everywhere); bulk inserts
    return event


TOUR_TITLE = "Mitmachmobil-Tour (Lastdaten)"


@transaction.atomic
def _tour_and_offices(context: BenchContext) -> Tour:
    """A tour of 80 stops (8 small) from tomorrow, two a day, and 3 offices with hours."""
    organisation_id = context.project.organisation_id
    existing = Tour.objects.filter(organisation_id=organisation_id, title=TOUR_TITLE).first()
    if existing is not None:
        return existing
    districts = list(District.objects.filter(organisation_id=organisation_id).order_by("pk"))
    tour = Tour.objects.create(
        organisation_id=organisation_id, title=TOUR_TITLE, description=NOTE, is_published=True
    )
    n = 8 if context.small else 80
    first = timezone.localdate() + timedelta(days=1)
    stops = []
    for i in range(n):
        district = districts[i % len(districts)] if districts else None
        stop = _event(
            context,
            title=f"Mitmachmobil {i + 1} (Lastdaten)",
            kind=Kind.VAN_STOP,
            starts=_local(first + timedelta(days=i // 2), 10 if i % 2 == 0 else 14),
            district=district,
            i=i,
        )
        stop.tour = tour
        stop.lat, stop.lon = 52.14 + (i % 9) * 0.01, 12.59 + (i % 7) * 0.01
        stops.append(stop)
    _add_to_project(context, Event.objects.bulk_create(stops))
    offices = Office.objects.bulk_create(
        Office(
            organisation_id=organisation_id,
            district=districts[i % len(districts)] if districts else None,
            name=f"Projektbüro {i + 1} (Lastdaten)",
            address=f"Marktplatz {i + 1}",
            phone="033841 000-00",
            note=NOTE,
            is_published=True,
        )
        for i in range(3)
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(office=office, weekday=day, opens=time(10), closes=time(18))
        for office in offices
        for day in range(5)
    )
    Closure.objects.bulk_create(
        Closure(
            office=office,
            starts_on=first + timedelta(days=30),
            ends_on=first + timedelta(days=37),
            reason="Urlaub (Lastdaten)",
        )
        for office in offices
    )
    changed(everywhere=True)  # bulk inserts of models declared stale_everywhere
    context.log(f"Eine Mitmachmobil-Tour mit {n} Halten und 3 Projektbüros angelegt.")
    return tour


PAST_SUMMARY = (
    "Rund {n} Menschen haben mitdiskutiert. Die wichtigsten Ergebnisse:\n\n"
    "- mehr Sitzbänke und Schatten am Marktplatz\n"
    "- sichere Schulwege im Ortsteil\n"
    "- ein Treffpunkt für Jugendliche\n\n"
    "Die Verwaltung prüft die Vorschläge und berichtet beim nächsten Termin. (Lastdaten)"
)


@transaction.atomic
def _documented_past(context: BenchContext) -> Event:
    """A documentation for each single bench event that is over (made once); the latest."""
    past = Event.objects.filter(
        organisation_id=context.project.organisation_id,
        description=NOTE,
        series__isnull=True,
        tour__isnull=True,
        ends_at__lt=timezone.now(),
    ).order_by("-starts_at", "-pk")
    latest = past.first()
    assert latest is not None  # half of the bench events lie in the past year
    if not Documentation.objects.filter(event=latest).exists():
        Documentation.objects.bulk_create(
            Documentation(
                event=event, summary=PAST_SUMMARY.format(n=20 + i % 60), participants=20 + i % 60
            )
            for i, event in enumerate(past.filter(documentation__isnull=True))
        )
        changed(everywhere=True)  # documentations show on the event pages; a bulk insert
        context.log("Dokumentationen der vergangenen Veranstaltungen angelegt.")
    return latest


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    event = _data(context)
    tour = _tour_and_offices(context)
    past = _documented_past(context)
    office = Office.objects.filter(organisation_id=tour.organisation_id).order_by("pk").first()
    assert office is not None  # made with the tour
    calendar = reverse("events:calendar")
    district = event.district
    month = timezone.localdate().strftime("%Y-%m")
    return (
        BenchPage("Veranstaltungskalender", calendar),
        BenchPage(
            "Veranstaltungskalender nach Ortsteil und Art",
            f"{calendar}?ortsteil={district.pk if district else ''}&art={Kind.WORKSHOP_MEETING}",
        ),
        BenchPage("Veranstaltungskalender, Monat", f"{calendar}?ansicht=monat&monat={month}"),
        BenchPage("Veranstaltungskalender, Karte", f"{calendar}?ansicht=karte"),
        BenchPage("Veranstaltung mit 200 Anmeldungen", event.get_absolute_url()),
        BenchPage("Vergangene Veranstaltung mit Dokumentation", past.get_absolute_url()),
        BenchPage("Veranstaltungskalender, Rückblick", f"{calendar}?ansicht=rueckblick"),
        BenchPage("Mitmachmobil-Tour mit 80 Halten", tour.get_absolute_url()),
        BenchPage("iCal-Feed der Mitmachmobil-Tour", reverse("events:feed_tour", args=[tour.pk])),
        BenchPage(
            "Kommune mit 3 Projektbüros",
            reverse("organisations:detail", args=[context.project.organisation.slug]),
        ),
        BenchPage("Projektbüro mit Öffnungszeiten und Feiertagen", office.get_absolute_url()),
        BenchPage("iCal-Feed aller Veranstaltungen", reverse("events:feed")),
        BenchPage(
            "iCal-Feed des Beteiligungsprozesses",
            reverse("events:feed_project", kwargs={"slug": context.project.slug}),
        ),
        BenchPage(
            "Teilnehmendenliste mit 200 Anmeldungen",
            reverse("events:attendees", args=[event.pk]),
            anonymous=False,
            signed_in=False,
            staff=True,
        ),
        BenchPage(
            "Einlass mit 150 Plätzen",
            reverse("events:check_in", args=[event.pk]),
            anonymous=False,
            signed_in=False,
            staff=True,
        ),
    )
