import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Kind, Registration, Status
from mitmachen.events.services import registration_register
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_calendar_lists_upcoming_events_by_day_and_filters(client, event, region):
    EventFactory(organisation=region["organisation"], district=region["east"], title="Im Osten")
    EventFactory(
        organisation=region["organisation"],
        title="Vorbei",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )
    EventFactory(organisation=region["organisation"], title="Entwurf", is_published=False)
    page = client.get(reverse("events:calendar")).content.decode()
    assert "Werkstatt Marktplatz" in page and "Im Osten" in page
    assert "Vorbei" not in page and "Entwurf" not in page
    filtered = client.get(reverse("events:calendar"), {"ortsteil": region["west"].pk})
    assert "Werkstatt Marktplatz" in filtered.content.decode()
    assert "Im Osten" not in filtered.content.decode()
    by_kind = client.get(reverse("events:calendar"), {"art": Kind.MARKET_STAND})
    assert "Keine kommende Veranstaltung" in by_kind.content.decode()


def test_bad_filter_values_and_months_give_a_message_not_an_error(client, event):
    response = client.get(reverse("events:calendar"), {"ortsteil": "999", "art": "quatsch"})
    assert response.status_code == 200
    assert "ungültig" in response.content.decode()
    for month in ("quatsch", "2026-13", "1999-01"):
        response = client.get(reverse("events:calendar"), {"ansicht": "monat", "monat": month})
        assert response.status_code == 200
        assert "ist kein Monat" in response.content.decode()


def test_month_view_shows_the_event_on_its_local_day(client, region):
    # 23:30 in Berlin on 31 March is already 1 April? No: 21:30 UTC on 31 March.
    start = timezone.make_aware(timezone.datetime(2030, 3, 31, 23, 30))
    EventFactory(
        organisation=region["organisation"],
        title="Spätes Treffen",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    page = client.get(reverse("events:calendar"), {"ansicht": "monat", "monat": "2030-03"})
    html = page.content.decode()
    assert "Spätes Treffen" in html
    cell = html.split('datetime="2030-03-31"')[1].split("</td>")[0]
    assert "23:30 Spätes Treffen" in cell


def test_drafts_are_seen_by_staff_only(client, region, organiser, resident):
    draft = EventFactory(organisation=region["organisation"], is_published=False)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory().user)  # staff of another municipality
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert "Entwurf" in client.get(url).content.decode()


def test_register_and_cancel_without_javascript(client, event, resident):
    url = event.get_absolute_url()
    anonymous = client.post(reverse("events:register", args=[event.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(resident)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Sie sind angemeldet" in response.content.decode()
    assert Registration.objects.filter(user=resident, status="angemeldet").exists()
    response = client.post(reverse("events:cancel", args=[event.pk]), follow=True)
    assert "storniert" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.get(url).status_code == 200


def test_a_full_event_puts_people_on_the_waitlist_with_their_place(client, event, resident):
    for _ in range(3):
        registration_register(user=UserFactory(), event=event)
    client.force_login(resident)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "0 von 3 Plätzen frei" in page and "Auf die Warteliste setzen" in page
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    html = response.content.decode()
    assert "Warteliste" in html and "auf Platz 1" in html


def test_a_cancelled_event_stays_visible_with_its_note(client, event):
    event.status, event.status_note = Status.CANCELLED, "Wegen Sturmwarnung."
    event.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "abgesagt" in page and "Wegen Sturmwarnung." in page
    assert "Verbindlich anmelden" not in page


def test_the_online_link_only_for_registered_people(client, region, resident):
    event = EventFactory(
        organisation=region["organisation"],
        kind=Kind.ONLINE,
        place_name="",
        online_url="https://konferenz.example.org/raum",
        online_url_registered_only=True,
        registration_enabled=True,
    )
    assert "konferenz.example.org" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(resident)
    registration_register(user=resident, event=event)
    assert "konferenz.example.org" in client.get(event.get_absolute_url()).content.decode()


def test_attendee_list_and_csv_for_the_municipality_staff_only(client, event, organiser, resident):
    UserFactory(email="=cmd@example.org")
    for user in (resident, UserFactory(display_name="=SUMME(A1)")):
        registration_register(user=user, event=event)
    html_url = reverse("events:attendees", args=[event.pk])
    csv_url = reverse("events:attendees_csv", args=[event.pk])
    assert client.get(html_url).status_code == 404
    client.force_login(resident)
    assert client.get(html_url).status_code == 403
    assert client.get(csv_url).status_code == 403
    client.force_login(MembershipFactory().user)
    assert client.get(csv_url).status_code == 403
    client.force_login(organiser)
    assert "Renate" in client.get(html_url).content.decode()
    rows = list(
        csv.reader(io.StringIO(client.get(csv_url).content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:3] == ["Name", "E-Mail", "Status"]
    assert [r[0] for r in rows[1:]] == ["Renate", "'=SUMME(A1)"]


def test_sections_show_the_next_events(client, event, region, project):
    pages = [
        project.get_absolute_url(),
        region["organisation"].get_absolute_url(),
        region["west"].get_absolute_url(),
        reverse("core:home"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Nächste Termine" in html, url
        assert "Werkstatt Marktplatz" in html, url
    east = client.get(region["east"].get_absolute_url()).content.decode()
    assert "keine Veranstaltungen geplant" in east


def test_personal_data_lists_registrations(event, resident):
    from mitmachen.accounts.services import personal_data_export

    registration_register(user=resident, event=event)
    exported = personal_data_export(user=resident)
    assert exported["veranstaltungen"][0]["veranstaltung"] == "Werkstatt Marktplatz"


def test_deleting_the_account_deletes_its_registrations(event, resident):
    from mitmachen.accounts.services import account_delete

    registration_register(user=resident, event=event)
    account_delete(user=resident)
    assert not Registration.objects.exists()
