"""Project offices: the open-now state across the DST change and closures, the hours
admin's German messages, the municipality and Ortsteil sections, the cached footer."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import page_cache
from mitmachen.core.sections import footer_html
from mitmachen.events import opening_hours
from mitmachen.events.models import Closure, Office, OpeningHours
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _office(
    organisation,
    *,
    hours=(),
    district=None,
    published=True,
    name="Projektbüro Mitte",
    closed_on_holidays=True,
):
    office = Office.objects.create(
        closed_on_holidays=closed_on_holidays,
        organisation=organisation,
        district=district,
        name=name,
        address="Magdeburger Straße 5, 14806 Bad Belzig",
        phone="033841 000-00",
        is_published=published,
    )
    for weekday, opens, closes in hours:
        OpeningHours.objects.create(office=office, weekday=weekday, opens=opens, closes=closes)
    return office


def _state(office, when):
    fresh = Office.objects.with_hours(opening_hours.local_now().date().replace(year=2000)).get(
        pk=office.pk
    )
    return opening_hours.state(fresh, when)


SUNDAY_10_18 = ((6, time(10), time(18)),)


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        # Winter time (UTC+1): 16:30 UTC is 17:30 in Berlin – open.
        (datetime(2027, 3, 21, 16, 30, tzinfo=UTC), True),
        # The last Sunday of March: summer time since 02:00, 16:30 UTC is 18:30 – closed.
        (datetime(2027, 3, 28, 16, 30, tzinfo=UTC), False),
        (datetime(2027, 3, 28, 15, 30, tzinfo=UTC), True),
        # The morning of that Sunday: 07:30 UTC is 09:30 CEST – not yet open.
        (datetime(2027, 3, 28, 7, 30, tzinfo=UTC), False),
        (datetime(2027, 3, 28, 8, 0, tzinfo=UTC), True),
        # Summer time a week before the last Sunday of October: 16:30 UTC is 18:30.
        (datetime(2027, 10, 24, 16, 30, tzinfo=UTC), False),
        # The last Sunday of October: winter time since 03:00, 16:30 UTC is 17:30 – open.
        (datetime(2027, 10, 31, 16, 30, tzinfo=UTC), True),
        (datetime(2027, 10, 31, 17, 0, tzinfo=UTC), False),
    ],
)
def test_open_now_follows_the_local_time_across_the_dst_change(region, utc, is_open):
    # Both changes of 2027 fall on public holidays (Easter Sunday, Reformation Day): this
    # office opens on them, so only the clock decides.
    office = _office(region["organisation"], hours=SUNDAY_10_18, closed_on_holidays=False)
    state = _state(office, utc)
    assert state.is_open is is_open, state.text
    if is_open:
        assert state.text == "Heute geöffnet bis 18:00 Uhr"


def test_states_before_between_and_after_the_hours(region):
    # Tuesday 10–13 and 14–18; 5 January 2027 is a Tuesday (winter time, UTC+1).
    office = _office(
        region["organisation"],
        hours=((1, time(10), time(13)), (1, time(14), time(18)), (3, time(9), time(12))),
    )
    at = lambda h, m=0: datetime(2027, 1, 5, h - 1, m, tzinfo=UTC)  # noqa: E731 - local hour
    assert _state(office, at(9)).text == "Geschlossen – öffnet heute um 10:00 Uhr"
    assert _state(office, at(12, 59)).text == "Heute geöffnet bis 13:00 Uhr"
    assert _state(office, at(13, 30)).text == "Geschlossen – öffnet heute um 14:00 Uhr"
    assert _state(office, at(14)).text == "Heute geöffnet bis 18:00 Uhr"
    assert (
        _state(office, at(18)).text
        == "Geschlossen – öffnet wieder Donnerstag, 07.01., um 09:00 Uhr"
    )
    # Wednesday evening: tomorrow.
    wednesday = datetime(2027, 1, 6, 19, tzinfo=UTC)
    assert _state(office, wednesday).text == "Geschlossen – öffnet wieder morgen um 09:00 Uhr"


def test_touching_intervals_are_one(region):
    office = _office(
        region["organisation"], hours=((1, time(10), time(13)), (1, time(13), time(18)))
    )
    assert _state(office, datetime(2027, 1, 5, 11, tzinfo=UTC)).text == (
        "Heute geöffnet bis 18:00 Uhr"
    )


def test_a_closure_closes_the_office_with_its_reason(region):
    # Easter Monday 2027 is 29 March, a Monday (summer time, UTC+2).
    office = _office(region["organisation"], hours=((0, time(9), time(17)), (2, time(9), time(17))))
    Closure.objects.create(
        office=office, starts_on=date(2027, 3, 29), ends_on=date(2027, 3, 29), reason="Ostermontag"
    )
    noon = datetime(2027, 3, 29, 10, tzinfo=UTC)
    state = _state(office, noon)
    assert not state.is_open
    assert state.text == (
        "Heute geschlossen (Ostermontag) – öffnet wieder Mittwoch, 31.03., um 09:00 Uhr"
    )
    # The Monday after is open again.
    assert _state(office, datetime(2027, 4, 5, 10, tzinfo=UTC)).is_open
    # A closure over several days is skipped when looking for the next opening.
    Closure.objects.create(
        office=office, starts_on=date(2027, 3, 30), ends_on=date(2027, 4, 4), reason="Urlaub"
    )
    assert _state(office, noon).text == (
        "Heute geschlossen (Ostermontag) – öffnet wieder Montag, 05.04., um 09:00 Uhr"
    )


def test_no_hours_at_all_is_closed(region):
    office = _office(region["organisation"])
    assert _state(office, datetime(2027, 1, 5, 10, tzinfo=UTC)).text == "Geschlossen"


def test_the_database_refuses_hours_and_closures_that_end_before_they_start(region):
    office = _office(region["organisation"])
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(office=office, weekday=1, opens=time(18), closes=time(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(
            office=office, starts_on=date(2027, 1, 5), ends_on=date(2027, 1, 4), reason="x"
        )


# --- The admin: German messages, nothing stored ----------------------------------------


def _admin_form(region, hours=(), closures=(), **overrides):
    data = {
        "organisation": region["organisation"].pk,
        "district": region["west"].pk,
        "name": "Projektbüro West",
        "address": "Hauptstraße 1",
        "lat": "",
        "lon": "",
        "contact_name": "Frau Beispiel",
        "phone": "033841 1",
        "email": "",
        "note": "",
        "is_published": "on",
        "hours-TOTAL_FORMS": str(len(hours)),
        "hours-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
    }
    for i, (weekday, opens, closes) in enumerate(hours):
        data.update(
            {f"hours-{i}-weekday": weekday, f"hours-{i}-opens": opens, f"hours-{i}-closes": closes}
        )
    for i, (starts, ends, reason) in enumerate(closures):
        data.update(
            {
                f"closures-{i}-starts_on": starts,
                f"closures-{i}-ends_on": ends,
                f"closures-{i}-reason": reason,
            }
        )
    data.update(overrides)
    return data


def test_an_organiser_adds_an_office_with_hours_and_a_closure(client, organiser, region):
    client.force_login(organiser)
    response = client.post(
        reverse("admin:events_office_add"),
        _admin_form(
            region,
            hours=[(1, "10:00", "13:00"), (1, "14:00", "18:00")],
            closures=[("24.12.2027", "01.01.2028", "Weihnachten")],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    office = Office.objects.get()
    assert office.hours.count() == 2 and office.closures.count() == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"hours": [(1, "18:00", "10:00")]}, "Die Öffnungszeit muss nach ihrem Beginn enden."),
        (
            {"hours": [(1, "10:00", "14:00"), (1, "13:00", "18:00")]},
            "Die Öffnungszeiten am Dienstag überschneiden sich.",
        ),
        (
            {"closures": [("05.01.2028", "04.01.2028", "Urlaub")]},
            "Der letzte Schließtag darf nicht vor dem ersten liegen.",
        ),
        ({"phone": ""}, "Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an."),
        ({"lat": "52.1"}, "Ein Kartenpunkt braucht Breiten- und Längengrad."),
    ],
)
def test_bad_office_input_is_refused_in_german(client, organiser, region, form, message):
    client.force_login(organiser)
    hours = form.pop("hours", ())
    closures = form.pop("closures", ())
    response = client.post(
        reverse("admin:events_office_add"), _admin_form(region, hours, closures, **form)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Office.objects.exists() and not OpeningHours.objects.exists()


def test_other_municipalities_staff_cannot_add_an_office_here(client, region):
    other = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    client.force_login(other)
    response = client.post(reverse("admin:events_office_add"), _admin_form(region))
    assert response.status_code == 200  # the municipality is not among the choices
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Office.objects.exists()


# --- Sections and footer ---------------------------------------------------------------


def test_offices_on_the_municipality_and_district_pages_drafts_only_for_staff(
    client, organiser, region
):
    organisation = region["organisation"]
    _office(organisation, district=region["west"], hours=SUNDAY_10_18, name="Büro West")
    _office(organisation, district=region["east"], published=False, name="Büro Ost (Entwurf)")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Büro West" in page and "Büro Ost" not in page
    assert 'lang=""' not in page
    assert "Öffnungszeiten: Büro West" in page and "Sonntag" in page
    west, east = (
        client.get(region[key].get_absolute_url()).content.decode().split("<footer")[0]
        for key in ("west", "east")
    )
    assert "Büro West" in west and "Büro West" not in east
    client.force_login(organiser)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Büro Ost (Entwurf)" in page and "nur für Mitarbeitende sichtbar" in page
    resident = UserFactory()
    client.force_login(resident)
    assert "Büro Ost" not in client.get(organisation.get_absolute_url()).content.decode()


def test_office_sections_run_the_same_queries_for_1_or_12_offices(client, region):
    counts = {}
    for n in (1, 12):
        while Office.objects.count() < n:
            office = _office(
                region["organisation"],
                district=region["west"],
                hours=SUNDAY_10_18,
                name=f"Büro {Office.objects.count()}",
            )
            Closure.objects.create(
                office=office, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 2), reason="Test"
            )
        for url in (region["organisation"].get_absolute_url(), region["west"].get_absolute_url()):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            assert response.content.decode().count("Öffnungszeiten: Büro") == n
            counts[(url, n)] = len(queries)
    for url in (region["organisation"].get_absolute_url(), region["west"].get_absolute_url()):
        assert counts[(url, 1)] == counts[(url, 12)], counts


def test_the_footer_shows_published_offices_on_every_page(client, region):
    _office(region["organisation"], hours=SUNDAY_10_18, name="Projektbüro Bad Belzig")
    _office(region["organisation"], published=False, name="Geheimbüro")
    for url in (reverse("core:home"), reverse("events:calendar"), reverse("projects:list")):
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert "Projektbüro Bad Belzig" in footer, url
        assert "Magdeburger Straße 5" in footer
        assert "Geheimbüro" not in footer


def test_the_footer_is_cached_and_follows_a_changed_office(
    region, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear_local()
    from django.core.cache import cache

    cache.clear()
    office = _office(region["organisation"], hours=SUNDAY_10_18, name="Projektbüro Alt")
    with CaptureQueriesContext(connection) as first:
        assert "Projektbüro Alt" in footer_html(None)
    with CaptureQueriesContext(connection) as second:
        assert "Projektbüro Alt" in footer_html(None)
    # Drawn: the offices, their hours, their closures (and the version: a query with a
    # memory cache per process, none from Redis); then only the version.
    version = 0 if page_cache.shared_cache() else 1
    assert len(first) == 3 + version and len(second) == version, [q["sql"] for q in second]
    office.name = "Projektbüro Neu"
    with django_capture_on_commit_callbacks(execute=True):
        office.save()  # declared stale_everywhere: the global version moves on
    html = footer_html(None)
    assert "Projektbüro Neu" in html and "Projektbüro Alt" not in html
