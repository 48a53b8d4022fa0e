"""The events of the demo region (``manage.py seed_demo`` calls ``demo`` through the
module declaration). Invented for demonstration: every description says so on the page.

Dates are relative to the day the demo is seeded: the monthly Werkstatttreffen of the
Klimawerkstatt on the second Tuesday of the next four months (a series from a recurrence
rule, with two questions on registering), the next one full with a waitlist, and the two
before the day, recorded afterwards with invented minutes, participants and a drawn
photo each (generated here with Pillow, its description saying it is invented); an INSEK
city walk, two market stands and an online regional conference; the two project offices
(Bad Belzig, Wiesenburg) with invented opening hours and contacts, and a Mitmachmobil tour
with stops in nine Ortsteile of Bad Belzig.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import shape

from mitmachen.events import route
from mitmachen.events.models import (
    Closure,
    Documentation,
    Event,
    EventContribution,
    Frequency,
    Kind,
    Office,
    OpeningHours,
    Question,
    QuestionKind,
    Status,
    Tour,
)
from mitmachen.events.services import (
    contribution_link,
    documentation_save,
    event_create,
    event_save,
    office_save,
    past_event_record,
    registration_register,
    series_create,
    tour_save,
)
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects import contributions
from mitmachen.projects.models import Project

INVENTED = "*Erfundener Beispieltermin für die Demo – diese Veranstaltung findet nicht statt.*\n\n"
WORKSHOP_TITLE = "Werkstatttreffen der Klimawerkstatt"
INVENTED_PAST = (
    "*Erfundenes Beispieltreffen für die Demo – dieses Treffen hat nicht stattgefunden, "
    "Protokoll und Teilnehmendenzahl sind ausgedacht.*\n\n"
)
CITY_WALK_ROUTE = """52.14220, 12.59560 Marktplatz
52.14262, 12.59430
52.14310, 12.59250 Brandenburger Straße
52.14352, 12.59048
52.14370, 12.58930 Burgaufgang
52.14390, 12.58800 Burg Eisenhardt"""


def _at(day: Any, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def second_tuesdays(start: date, count: int) -> list[date]:
    """The next ``count`` second Tuesdays of a month on or after ``start``."""
    found: list[date] = []
    year, month = start.year, start.month
    while len(found) < count:
        first = date(year, month, 1)
        day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)  # weekday 1: Tuesday
        if day >= start:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def demo(report: Any) -> None:
    demo_offices(report)
    demo_tour(report)
    demo_upcoming(report)
    demo_past_meetings(report)
    demo_past_photos(report)
    demo_collected(report)


def demo_upcoming(report: Any) -> None:
    """The Werkstatttreffen series, the city walk, the market stands and the online
    conference, ahead of the day the demo is seeded."""
    seeded = Event.objects.filter(title=WORKSHOP_TITLE).exclude(
        description__startswith=INVENTED_PAST
    )
    if seeded.exists():
        return  # seeded before
    User = get_user_model()
    staff = User.objects.get(email="admin@example.org")
    belzig = Organisation.objects.get(slug="bad-belzig")
    wiesenburg = Organisation.objects.get(slug="wiesenburg-mark")
    klima = Project.objects.get(slug="klimawerkstatt-flaeming")
    insek = Project.objects.get(slug="insek-bad-belzig-2035")
    zukunft = Project.objects.get(slug="meine-stadt-der-zukunft")

    def district(organisation: Organisation, slug: str) -> District:
        return District.objects.get(organisation=organisation, slug=slug)

    created: list[Event] = []
    tomorrow = timezone.localdate() + timedelta(days=1)
    # "Jeden 2. Dienstag im Monat": the first date, then the series up to the fourth.
    dates = second_tuesdays(tomorrow, 4)
    first = event_create(
        user=staff,
        organisation=belzig,
        projects=[klima],
        district=district(belzig, "bad-belzig"),
        kind=Kind.WORKSHOP_MEETING,
        title=WORKSHOP_TITLE,
        description=INVENTED + "Das monatliche Treffen der Klimawerkstatt: Wir sehen uns die neuen "
        "Klimadaten an und arbeiten an den Maßnahmen der Klimaschutz-Agenda weiter. "
        "Alle sind willkommen, Vorwissen braucht es nicht.",
        starts_at=_at(dates[0], 18),
        ends_at=_at(dates[0], 20),
        place_name="Rathaus Bad Belzig, Ratssaal",
        address="Wiesenburger Straße 6, 14806 Bad Belzig",
        lat=52.1412,
        lon=12.5921,
        step_free=True,
        hearing_loop=True,
        registration_enabled=True,
        capacity=25,
        is_published=True,
    )
    Question.objects.create(
        event=first,
        text="Möchten Sie etwas essen? Wir bestellen Suppe.",
        kind=QuestionKind.CHOICE,
        options="ja, vegetarisch\nja, vegan\nnein, danke",
        order=1,
    )
    Question.objects.create(
        event=first,
        text="Brauchen Sie eine Übersetzung in Gebärdensprache?",
        kind=QuestionKind.YES_NO,
        order=2,
    )
    series = series_create(
        user=staff,
        first=first,
        frequency=Frequency.MONTHLY,
        week_of_month=2,
        until=dates[-1],
    )
    # The next date is small (three places, full with a waitlist) and has an interpreter.
    first.capacity, first.sign_language = 3, True
    event_save(user=staff, event=first)
    created += list(series.events.order_by("starts_at"))
    in_ten_days = timezone.localdate() + timedelta(days=10)
    created.append(
        event_create(
            user=staff,
            organisation=belzig,
            projects=[insek],
            district=district(belzig, "bad-belzig"),
            kind=Kind.CITY_WALK,
            title="Stadtrundgang: Die Innenstadt 2035",
            description=INVENTED
            + "Mit dem Planungsbüro durch die Altstadt: vom Marktplatz über die "
            "Brandenburger Straße zur Burg Eisenhardt. Unterwegs sammeln wir Ihre Ideen "
            "für das Stadtentwicklungskonzept.",
            starts_at=_at(in_ten_days, 10),
            ends_at=_at(in_ten_days, 12),
            place_name="Treffpunkt: Marktplatz, vor dem Rathaus",
            address="Marktplatz, 14806 Bad Belzig",
            lat=52.1422,
            lon=12.5956,
            # Invented like the event (the description says so): a line near the demo
            # Ortsteil's centre, not a surveyed path.
            route=route.parse(CITY_WALK_ROUTE),
            registration_enabled=True,
            capacity=25,
            is_published=True,
        )
    )
    for offset, organisation, slug, place in (
        (5, belzig, "bad-belzig", "Wochenmarkt am Marktplatz"),
        (12, wiesenburg, "wiesenburg", "Schlosspark Wiesenburg, am Eingang"),
    ):
        day = timezone.localdate() + timedelta(days=offset)
        created.append(
            event_create(
                user=staff,
                organisation=organisation,
                projects=[zukunft] if organisation == belzig else [],
                district=District.objects.filter(organisation=organisation, slug=slug).first(),
                kind=Kind.MARKET_STAND,
                title=f"Marktstand „Meine Stadt der Zukunft“ – {place.split(',')[0]}",
                description=INVENTED
                + "Kommen Sie vorbei, ohne Anmeldung: Auf Karten und Klebepunkten sammeln "
                "wir, was Ihnen in Ihrem Ort fehlt und was bleiben soll.",
                starts_at=_at(day, 9),
                ends_at=_at(day, 13),
                place_name=place,
                step_free=True,
                childcare=organisation == belzig,
                is_published=True,
            )
        )
    in_three_weeks = timezone.localdate() + timedelta(days=21)
    created.append(
        event_create(
            user=staff,
            organisation=belzig,
            projects=[klima, insek],
            kind=Kind.ONLINE,
            title="Regionalkonferenz Hoher Fläming (online)",
            description=INVENTED
            + "Bad Belzig, Wiesenburg/Mark und Gäste aus Nachbarregionen berichten, was "
            "ihre Beteiligungsprozesse ergeben haben. Mit Fragen aus dem Chat.",
            starts_at=_at(in_three_weeks, 14),
            ends_at=_at(in_three_weeks, 17),
            online_url="https://konferenz.example.org/regionalkonferenz-flaeming",
            online_url_registered_only=True,
            registration_enabled=True,
            is_published=True,
        )
    )
    for event in created:
        report.add(
            "Veranstaltung", f"{event.title} ({timezone.localtime(event.starts_at):%d.%m.%Y})"
        )
    # The next Werkstatttreffen is full: three places taken, two people waiting.
    people = [
        User.objects.get(email=email)
        for email in ("bewohnerin@example.org", "projekt@example.org", "moderation@example.org")
    ]
    people += list(User.objects.filter(email__startswith="unterstuetzer").order_by("pk")[:2])
    for person in people:
        registration_register(user=person, event=created[0])
    report.add("Anmeldungen", f"{len(people)} zum {WORKSHOP_TITLE} (ausgebucht, mit Warteliste)")


OFFICE_NOTE = "Demo: Öffnungszeiten, Schließtage, Ansprechperson und Telefon sind erfunden."
TOUR_TITLE = "Mitmachmobil-Tour durch die Ortsteile"
# (weekday, opens, closes): Tuesday 10–13 and 14–18, Thursday 10–18, Saturday 10–13.
BELZIG_HOURS = ((1, 10, 13), (1, 14, 18), (3, 10, 18), (5, 10, 13))
WIESENBURG_HOURS = ((2, 14, 18), (4, 9, 12))


# The two Werkstatttreffen before the demo's day: (invented minutes, participants).
PAST_MEETINGS = (
    (
        INVENTED_PAST + "## Was wir besprochen haben\n\n"
        "- Die Klimadaten des Sommers: drei Hitzetage mehr als im Vorjahr, die "
        "Messstation am Marktplatz fehlte zwei Wochen.\n"
        "- Maßnahme „Schattige Wege zur Schule“: die Gruppe schlägt fünf Straßen vor.\n\n"
        "## Verabredungen\n\n"
        "- Die Verwaltung prüft bis zum nächsten Treffen, welche Straßen Bäume vertragen.\n"
        "- Zwei Freiwillige übernehmen die Gießpatenschaften am Bahnhof.",
        18,
    ),
    (
        INVENTED_PAST + "## Was wir besprochen haben\n\n"
        "- Der Entwurf der Klimaschutz-Agenda: die Gruppe hat ihn Absatz für Absatz "
        "gelesen und zwölf Anmerkungen gesammelt.\n"
        "- Radverkehr nach Lübnitz: die Verwaltung stellte die Zählung vom Frühjahr vor.\n\n"
        "## Verabredungen\n\n"
        "- Die Anmerkungen gehen als Vorschläge in die Online-Kommentierung.\n"
        "- Nächstes Mal: Ergebnisse der Radzählung im Herbst.",
        23,
    ),
)


def past_second_tuesdays(before: date, count: int) -> list[date]:
    """The last ``count`` second Tuesdays of a month before ``before``, oldest first."""
    found: list[date] = []
    year, month = before.year, before.month
    while len(found) < count:
        first = date(year, month, 1)
        day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)  # weekday 1: Tuesday
        if day < before:
            found.append(day)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(found)


def demo_past_meetings(report: Any) -> None:
    """Two Werkstatttreffen of the Klimawerkstatt that took place before the demo's day,
    recorded afterwards with their (invented) minutes and number of participants through
    ``services.past_event_record`` – in the Rückblick of the calendar."""
    if Event.objects.filter(description__startswith=INVENTED_PAST).exists():
        return  # seeded before
    staff = get_user_model().objects.get(email="admin@example.org")
    belzig = Organisation.objects.get(slug="bad-belzig")
    klima = Project.objects.get(slug="klimawerkstatt-flaeming")
    days = past_second_tuesdays(timezone.localdate(), len(PAST_MEETINGS))
    for day, (minutes, participants) in zip(days, PAST_MEETINGS, strict=True):
        event = past_event_record(
            user=staff,
            organisation=belzig,
            projects=[klima],
            kind=Kind.WORKSHOP_MEETING,
            title=WORKSHOP_TITLE,
            description=INVENTED_PAST + "Das monatliche Treffen der Klimawerkstatt.",
            starts_at=_at(day, 18),
            ends_at=_at(day, 20),
            place_name="Rathaus Bad Belzig, Ratssaal",
            address="Wiesenburger Straße 6, 14806 Bad Belzig",
            district=District.objects.get(organisation=belzig, slug="bad-belzig"),
            lat=52.1412,
            lon=12.5921,
            step_free=True,
            hearing_loop=True,
            summary=minutes,
            participants=participants,
        )
        report.add(
            "Veranstaltung",
            f"{event.title} ({day:%d.%m.%Y}, nachgetragen, dokumentiert: {participants} Personen)",
        )


# One drawn photo per past meeting (oldest first): what it shows, for its description.
PAST_PHOTOS = (
    (
        "flipchart",
        "Gezeichnetes Beispielbild, erfunden: ein Flipchart mit gelben, grünen und blauen "
        "Haftzetteln in drei Spalten",
    ),
    (
        "stadtplan",
        "Gezeichnetes Beispielbild, erfunden: ein Stadtplan an einer Stellwand mit roten "
        "Klebepunkten an den Straßen, die Schatten brauchen",
    ),
)


def _drawing(kind: str) -> SimpleUploadedFile:
    """A simple drawing for a past meeting (no external files, no text): a flipchart with
    sticky notes, or a map on a pin board with dots. Deterministic per ``kind``."""
    rng = random.Random(kind)  # noqa: S311 - decoration, not security
    width, height = 960, 640
    image = Image.new("RGB", (width, height), "#e9e4d8")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 520, width, height], fill="#b89b72")  # the floor
    if kind == "flipchart":
        draw.line([(330, 560), (280, 630)], fill="#5b4a36", width=10)
        draw.line([(630, 560), (680, 630)], fill="#5b4a36", width=10)
        draw.rectangle([300, 60, 660, 560], fill="#ffffff", outline="#5b4a36", width=6)
        colours = ("#f6d743", "#9bd38c", "#8cc4e8")
        for column, colour in enumerate(colours):
            for row in range(4):
                x, y = 322 + column * 112, 90 + row * 112
                draw.rectangle([x, y, x + 92, y + 88], fill=colour)
                for line in range(3):  # scribbles instead of words
                    length = rng.randint(40, 76)
                    draw.line(
                        [(x + 8, y + 20 + line * 22), (x + 8 + length, y + 20 + line * 22)],
                        fill="#444444",
                        width=3,
                    )
    else:
        draw.rectangle([160, 50, 800, 520], fill="#c79a5b", outline="#5b4a36", width=6)
        draw.rectangle([190, 80, 770, 490], fill="#f3f1e7")
        for _n in range(9):  # streets
            y = rng.randint(100, 470)
            draw.line([(190, y), (770, y + rng.randint(-60, 60))], fill="#9a9a9a", width=6)
        for _n in range(7):
            x = rng.randint(230, 730)
            draw.line([(x, 80), (x + rng.randint(-80, 80), 490)], fill="#9a9a9a", width=6)
        draw.ellipse([420, 240, 560, 340], fill="#b7d9a8")  # a park
        for _n in range(14):
            x, y = rng.randint(210, 750), rng.randint(100, 470)
            draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill="#d0312d")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(f"{kind}.png", buffer.getvalue(), content_type="image/png")


def demo_past_photos(report: Any) -> None:
    """A drawn photo for each documented past meeting (through ``documentation_save``,
    which re-encodes it like an upload); its description says it is invented. Meetings
    that have a photo already are left alone."""
    staff = get_user_model().objects.get(email="admin@example.org")
    meetings = Documentation.objects.filter(
        event__description__startswith=INVENTED_PAST
    ).select_related("event")
    for documentation, (kind, description) in zip(
        meetings.order_by("event__starts_at"), PAST_PHOTOS, strict=False
    ):
        if documentation.images.exists():
            continue
        documentation_save(
            user=staff,
            event=documentation.event,
            summary=documentation.summary,
            participants=documentation.participants,
            image=_drawing(kind),
            alt_text=description,
        )
        report.add("Foto", f"{documentation.event.title}: {description}")


# The Klimawerkstatt's contributions from its meetings in the demo of other modules, found
# by kind and text: the proposal handed in at a meeting, the comment on the draft agenda
# taken down "am Werkstatttreffen".
COLLECTED_PROPOSAL = "Regenwasserspeicher am Dorfgemeinschaftshaus Grubo"
COLLECTED_COMMENT = "Am Werkstatttreffen im Oktober"


def demo_collected(report: Any) -> None:
    """Link the Klimawerkstatt's offline contributions to the two past meetings ("Was hier
    eingebracht wurde"): the proposal to the latest meeting on or before the day it was
    handed in, the comment (entered on the day of seeding) to the other – so each meeting
    has one, whatever the day. Through ``services.contribution_link``; rows of modules
    that are not installed are left out."""
    meetings = list(
        Event.objects.filter(description__startswith=INVENTED_PAST).order_by("starts_at")
    )
    if len(meetings) != len(PAST_MEETINGS):
        return
    if EventContribution.objects.filter(event__in=meetings).exists():
        return  # seeded before
    staff = get_user_model().objects.get(email="admin@example.org")
    klima = Project.objects.get(slug="klimawerkstatt-flaeming")
    found = []
    for key, lookup in (
        ("vorschlag", {"title": COLLECTED_PROPOSAL}),
        ("kommentar", {"text__startswith": COLLECTED_COMMENT}),
    ):
        try:
            kind = contributions.kind(key)
        except KeyError:
            continue
        row = kind.offline(kind.rows()).filter(project=klima, **lookup).first()
        if row is not None:
            found.append((kind, row))
    free = list(meetings)
    for kind, row in found:
        day = kind.day_of(row)
        fitting = [m for m in free if day is None or timezone.localtime(m.starts_at).date() <= day]
        if not fitting:
            continue
        meeting = fitting[-1]
        free.remove(meeting)
        contribution_link(user=staff, event=meeting, row=row, kind=kind)
        report.add(
            "Beitrag einer Veranstaltung",
            f"{kind.label} „{kind.title(row)}“ → {meeting.title} "
            f"({timezone.localtime(meeting.starts_at):%d.%m.%Y})",
        )


def demo_offices(report: Any) -> None:
    """The project offices in Bad Belzig and Wiesenburg, with invented hours (the note on
    the page says so) and the closure over Christmas and New Year."""
    if Office.objects.filter(name="Projektbüro Bad Belzig").exists():
        return
    staff = get_user_model().objects.get(email="admin@example.org")
    belzig = Organisation.objects.get(slug="bad-belzig")
    wiesenburg = Organisation.objects.get(slug="wiesenburg-mark")
    today = timezone.localdate()
    christmas = date(today.year if today < date(today.year, 12, 24) else today.year + 1, 12, 24)
    for organisation, slug, name, address, point, phone, email, hours in (
        (
            belzig,
            "bad-belzig",
            "Projektbüro Bad Belzig",
            "Magdeburger Straße 5, 14806 Bad Belzig",
            (52.1430, 12.5915),
            "033841 000-00",
            "projektbuero-belzig@example.org",
            BELZIG_HOURS,
        ),
        (
            wiesenburg,
            "wiesenburg",
            "Projektbüro Wiesenburg",
            "Schlossstraße 1, 14827 Wiesenburg/Mark",
            (52.1170, 12.4520),
            "033849 000-00",
            "projektbuero-wiesenburg@example.org",
            WIESENBURG_HOURS,
        ),
    ):
        office = office_save(
            user=staff,
            office=Office(
                organisation=organisation,
                district=District.objects.filter(organisation=organisation, slug=slug).first(),
                name=name,
                address=address,
                lat=point[0],
                lon=point[1],
                contact_name="Frau Beispiel (erfundene Ansprechperson)",
                phone=phone,
                email=email,
                note=OFFICE_NOTE,
                is_published=True,
            ),
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(office=office, weekday=day, opens=time(opens), closes=time(closes))
            for day, opens, closes in hours
        )
        Closure.objects.create(
            office=office,
            starts_on=christmas,
            ends_on=date(christmas.year + 1, 1, 1),
            reason="Weihnachten und Neujahr",
        )
        report.add("Projektbüro", f"{name}, {address}")


# Nine Ortsteile of Bad Belzig, in the order the van drives them; the place in each.
TOUR_STOPS = (
    ("bergholz", "Dorfplatz Bergholz"),
    ("borne", "Vor dem Gemeindehaus Borne"),
    ("hagelberg", "Dorfanger Hagelberg"),
    ("luebnitz", "Feuerwehr Lübnitz, Vorplatz"),
    ("werbig", "Bushaltestelle Werbig, Wendeplatz"),
    ("gross-briesen", "Dorfgemeinschaftshaus Groß Briesen"),
    ("ragoesen", "Kirche Ragösen, Vorplatz"),
    ("dippmannsdorf", "Dorfplatz Dippmannsdorf"),
    ("fredersdorf", "Dorfteich Fredersdorf"),
)


def demo_tour(report: Any) -> None:
    """A Mitmachmobil tour through nine Ortsteile of Bad Belzig: two stops a day on the
    weekdays from next Monday, one of them cancelled (it stays in the timetable)."""
    if Tour.objects.filter(title=TOUR_TITLE).exists():
        return
    staff = get_user_model().objects.get(email="admin@example.org")
    belzig = Organisation.objects.get(slug="bad-belzig")
    zukunft = Project.objects.filter(slug="meine-stadt-der-zukunft").first()
    tour = tour_save(
        user=staff,
        tour=Tour(
            organisation=belzig,
            title=TOUR_TITLE,
            description=INVENTED.replace("Beispieltermin", "Beispielfahrplan").replace(
                "diese Veranstaltung findet", "diese Tour findet"
            )
            + "Das Mitmachmobil bringt die Beteiligung in die Dörfer: Karten, Fragebögen "
            "und ein offenes Ohr für Ihre Ideen zu „Meine Stadt der Zukunft“. Kommen Sie "
            "einfach vorbei, eine Anmeldung braucht es nicht.",
            is_published=True,
        ),
    )
    day = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())  # Monday
    slots = ((10, 12), (14, 16))
    for index, (slug, place) in enumerate(TOUR_STOPS):
        district = District.objects.get(organisation=belzig, slug=slug)
        if index and index % len(slots) == 0:
            day += timedelta(days=1)
        opens, closes = slots[index % len(slots)]
        lon, lat = _centre(district)
        stop = event_create(
            user=staff,
            organisation=belzig,
            projects=[zukunft] if zukunft else [],
            district=district,
            tour=tour,
            kind=Kind.VAN_STOP,
            title=f"Mitmachmobil in {district.name}",
            description=INVENTED
            + "Das Mitmachmobil hält hier. Bringen Sie Ihre Ideen für Ihren Ort mit.",
            starts_at=_at(day, opens),
            ends_at=_at(day, closes),
            place_name=place,
            lat=lat,
            lon=lon,
            step_free=True,
            is_published=True,
        )
        if slug == "werbig":
            stop.status, stop.status_note = (
                Status.CANCELLED,
                "Die Straße ist gesperrt; der Halt fällt aus. Nächster Halt in der Nähe: "
                "Groß Briesen am Nachmittag.",
            )
            event_save(user=staff, event=stop)
    report.add("Mitmachmobil-Tour", f"{TOUR_TITLE} ({len(TOUR_STOPS)} Halte)")


def _centre(district: District) -> tuple[float, float]:
    """A point inside the Ortsteil (longitude, latitude)."""
    if not district.geometry:
        raise ValueError(f"The demo Ortsteil {district.name} has no boundary.")
    point = shape(district.geometry).representative_point()
    return round(point.x, 5), round(point.y, 5)
