"""Brandenburg's public holidays close the project offices without a closure row; the
office's own page."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events import holidays, opening_hours
from mitmachen.events.models import Closure, Office
from mitmachen.events.tests.test_offices import _office, _state
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

WEEKDAYS_9_17 = tuple((day, time(9), time(17)) for day in range(5))


def test_brandenburgs_holidays_are_computed():
    assert holidays.public_holidays(2027) == {
        date(2027, 1, 1): "Neujahr",
        date(2027, 3, 26): "Karfreitag",
        date(2027, 3, 28): "Ostersonntag",
        date(2027, 3, 29): "Ostermontag",
        date(2027, 5, 1): "Tag der Arbeit",
        date(2027, 5, 6): "Christi Himmelfahrt",
        date(2027, 5, 16): "Pfingstsonntag",
        date(2027, 5, 17): "Pfingstmontag",
        date(2027, 10, 3): "Tag der Deutschen Einheit",
        date(2027, 10, 31): "Reformationstag",
        date(2027, 12, 25): "1. Weihnachtsfeiertag",
        date(2027, 12, 26): "2. Weihnachtsfeiertag",
    }
    # Easter moves: 2030 has it on 21 April, so Ascension Day falls on 30 May.
    assert holidays.holiday_on(date(2030, 4, 22)) == "Ostermontag"
    assert holidays.holiday_on(date(2030, 5, 30)) == "Christi Himmelfahrt"
    assert holidays.holiday_on(date(2030, 5, 29)) is None
    # Brandenburg, not Berlin: Women's Day (8 March) is no holiday here.
    assert holidays.holiday_on(date(2027, 3, 8)) is None
    assert holidays.holidays_between(date(2027, 12, 20), date(2028, 1, 2)) == [
        (date(2027, 12, 25), "1. Weihnachtsfeiertag"),
        (date(2027, 12, 26), "2. Weihnachtsfeiertag"),
        (date(2028, 1, 1), "Neujahr"),
    ]


def test_an_office_is_closed_on_a_holiday_without_a_closure(region):
    office = _office(region["organisation"], hours=WEEKDAYS_9_17)
    # Good Friday 2027 (26 March), noon in Berlin (winter time, UTC+1); Easter Monday
    # follows, so the next opening is Tuesday.
    state = _state(office, datetime(2027, 3, 26, 11, tzinfo=UTC))
    assert not state.is_open
    assert state.text == (
        "Heute geschlossen (Karfreitag) – öffnet wieder Dienstag, 30.03., um 09:00 Uhr"
    )
    assert not Closure.objects.exists()
    # The Thursday before is an ordinary day: open, and the footer's text says so.
    assert _state(office, datetime(2027, 3, 25, 11, tzinfo=UTC)).is_open
    assert opening_hours.today_text(office, date(2027, 3, 29)) == (
        "Heute geschlossen (Ostermontag)"
    )
    # An office that opens on holidays is open.
    opening = _office(region["organisation"], hours=WEEKDAYS_9_17, closed_on_holidays=False)
    assert _state(opening, datetime(2027, 3, 26, 11, tzinfo=UTC)).is_open


def test_upcoming_closures_list_holidays_on_opening_days_only(region):
    # Open Monday and Saturday: Easter Monday counts, Good Friday and Easter Sunday do not.
    office = _office(region["organisation"], hours=((0, time(9), time(12)), (5, time(9), time(12))))
    Closure.objects.create(
        office=office, starts_on=date(2027, 5, 1), ends_on=date(2027, 5, 8), reason="Urlaub"
    )
    fresh = Office.objects.with_hours(date(2027, 3, 1)).get(pk=office.pk)
    found = opening_hours.upcoming_closures(fresh, date(2027, 3, 1), limit=10)
    assert [(c.starts_on, c.reason, c.pk is None) for c in found] == [
        (date(2027, 3, 29), "Ostermontag", True),
        # 1 May (a Saturday) lies inside the entered leave: listed once, as the leave.
        (date(2027, 5, 1), "Urlaub", False),
        (date(2027, 5, 17), "Pfingstmontag", True),
    ]
    fresh.closed_on_holidays = False
    assert [c.reason for c in opening_hours.upcoming_closures(fresh, date(2027, 3, 1))] == [
        "Urlaub"
    ]


def test_the_office_page_shows_state_hours_holidays_and_map(client, region):
    office = _office(region["organisation"], hours=WEEKDAYS_9_17, district=region["west"])
    office.lat, office.lon, office.contact_name = 52.005, 12.005, "Frau Beispiel"
    office.save()
    response = client.get(reverse("events:office", args=[office.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "Projektbüro Mitte</h1>" in page
    assert "Frau Beispiel" in page and "Öffnungszeiten: Projektbüro Mitte" in page
    assert "An den gesetzlichen Feiertagen in Brandenburg ist das Büro geschlossen." in page
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert svg.count("<circle") == 1 and "<title>West</title>" in svg
    assert office.get_absolute_url() == f"/veranstaltungen/projektbuero/{office.pk}/"
    # The footer and the municipality page link the office's own page.
    home = client.get("/").content.decode()
    assert f'href="/veranstaltungen/projektbuero/{office.pk}/"' in home
    town = client.get(region["organisation"].get_absolute_url()).content.decode()
    assert f'href="/veranstaltungen/projektbuero/{office.pk}/"' in town.split("<footer")[0]


def test_a_holiday_appears_among_the_next_closures_on_the_page(client, region):
    office = _office(region["organisation"], hours=tuple((d, time(0), time(23)) for d in range(7)))
    today = opening_hours.local_now().date()
    upcoming = holidays.holidays_between(today, today.replace(year=today.year + 1))[0]
    page = client.get(office.get_absolute_url()).content.decode()
    if (upcoming[0] - today).days <= opening_hours.HOLIDAYS_AHEAD_DAYS:
        assert f"{upcoming[1]}</span> (gesetzlicher Feiertag)" in page
    else:  # summer: no holiday in the next 90 days
        assert "gesetzlicher Feiertag" not in page


def test_drafts_only_for_the_municipalitys_staff(client, region):
    draft = _office(region["organisation"], published=False)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user)
    assert client.get(url).status_code == 404
    client.force_login(
        MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user
    )
    page = client.get(url).content.decode()
    assert "Entwurf – nur für Mitarbeitende sichtbar" in page
    assert "Projektbüro bearbeiten" not in page  # moderators do not plan offices
    client.force_login(
        MembershipFactory(organisation=region["organisation"], role=Role.PROJECT_MANAGER).user
    )
    assert "Projektbüro bearbeiten" in client.get(url).content.decode()
    assert client.get(reverse("events:office", args=[99999])).status_code == 404


def test_the_office_page_runs_the_same_queries_for_few_or_many_hours(client, region):
    few = _office(region["organisation"], hours=WEEKDAYS_9_17[:1], name="Wenig")
    many = _office(
        region["organisation"],
        hours=tuple((d, time(h), time(h + 1)) for d in range(7) for h in (8, 10, 12, 14)),
        name="Viel",
    )
    for office in (few, many):
        office.lat, office.lon = 52.005, 12.005
        office.save()
    for day in range(1, 12):
        Closure.objects.create(
            office=many, starts_on=date(2099, 1, day), ends_on=date(2099, 1, day), reason="Urlaub"
        )
    counts = []
    for office in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(office.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The office, its hours, its closures, the Ortsteile – and the footer's three.
    assert counts[0] <= 8, counts
