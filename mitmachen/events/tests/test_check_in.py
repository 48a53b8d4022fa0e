"""Check-in at the door: staff tick registered people present, with or without htmx."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Registration, RegistrationStatus, Status
from mitmachen.events.services import (
    check_in_set,
    guest_confirm,
    guest_register,
    registration_register,
)
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(event):
    """Anna and Bernd confirmed, a guest confirmed, Zoe on the waitlist (3 places)."""
    anna = registration_register(user=UserFactory(display_name="Anna Apfel"), event=event)
    bernd = registration_register(user=UserFactory(display_name="Bernd Birne"), event=event)
    guest = guest_register(
        event=event, name="Gerda Gast", email="gerda@example.org", site_url="https://x.example/"
    )
    guest = guest_confirm(token=guest.token)
    zoe = registration_register(user=UserFactory(display_name="Zoe Zitrone"), event=event)
    assert zoe.status == RegistrationStatus.WAITLISTED
    return {"anna": anna, "bernd": bernd, "guest": guest, "zoe": zoe}


@pytest.fixture
def door(region):
    """A moderator of the municipality: no organiser, but staff at the door."""
    return MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user


def test_staff_tick_people_present_and_back(door, people):
    first = check_in_set(user=door, registration=people["anna"], present=True)
    assert first.checked_in_at is not None
    again = check_in_set(user=door, registration=people["anna"], present=True)
    assert again.checked_in_at == first.checked_in_at  # the first time stays
    assert check_in_set(user=door, registration=people["anna"], present=False).checked_in_at is None


def test_only_confirmed_people_and_only_staff(door, resident, people, event, fresh):
    with pytest.raises(PermissionDenied, match="Warteliste"):
        check_in_set(user=door, registration=people["zoe"], present=True)
    with pytest.raises(PermissionDenied, match="Mitarbeitenden der Kommune"):
        check_in_set(user=resident, registration=people["anna"], present=True)
    other = MembershipFactory(role=Role.ADMIN).user  # another municipality
    with pytest.raises(PermissionDenied, match="Mitarbeitenden der Kommune"):
        check_in_set(user=other, registration=people["anna"], present=True)
    event.status, event.status_note = Status.CANCELLED, "Fällt aus."
    event.save()
    with pytest.raises(PermissionDenied, match="abgesagt"):
        check_in_set(user=fresh(door), registration=people["anna"], present=True)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_the_database_lets_no_waitlisted_person_in(people):
    with pytest.raises(IntegrityError):
        Registration.objects.filter(pk=people["zoe"].pk).update(checked_in_at=timezone.now())


def test_the_door_list_searches_by_name_and_counts(client, door, people, event):
    client.force_login(door)
    url = reverse("events:check_in", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Anna Apfel" in page and "Gerda Gast" in page
    assert "Zoe Zitrone" not in page  # no place, no entry
    assert "<strong>0</strong> von 3 Personen mit Platz anwesend" in page
    assert "gerda@example.org" not in page  # names only at the door
    found = client.get(url, {"suche": "  bern "}).content.decode()
    assert "Bernd Birne" in found and "Anna Apfel" not in found


def test_ticking_without_javascript_redirects_back_to_the_search(client, door, people, event):
    client.force_login(door)
    anna = people["anna"]
    set_url = reverse("events:check_in_set", args=[event.pk, anna.pk])
    response = client.post(set_url, {"anwesend": "1", "suche": "Anna"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("events:check_in", args=[event.pk]) + f"?suche=Anna#person-{anna.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Anna Apfel ist als anwesend eingetragen." in page
    assert "<strong>1</strong> von 3 Personen mit Platz anwesend" in page
    client.post(set_url, {"anwesend": "0"})
    anna.refresh_from_db()
    assert anna.checked_in_at is None


def test_ticking_with_htmx_returns_the_row_and_the_count(client, door, people, event):
    client.force_login(door)
    guest = people["guest"]
    response = client.post(
        reverse("events:check_in_set", args=[event.pk, guest.pk]),
        {"anwesend": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith(f'<li id="person-{guest.pk}"')
    assert "anwesend seit" in body and "Zurücknehmen" in body
    assert 'data-hx-swap-oob="innerHTML"' in body
    assert "<strong>1</strong> von 3" in body


def test_residents_and_anonymous_cannot_open_the_door_list(client, resident, people, event):
    url = reverse("events:check_in", args=[event.pk])
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 403
    set_url = reverse("events:check_in_set", args=[event.pk, people["anna"].pk])
    assert client.post(set_url, {"anwesend": "1"}).status_code == 403
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_registration_of_another_event_is_not_found(client, door, people, event, region):
    from mitmachen.events.tests.factories import EventFactory

    other = EventFactory(organisation=region["organisation"], registration_enabled=True)
    client.force_login(door)
    url = reverse("events:check_in_set", args=[other.pk, people["anna"].pk])
    assert client.post(url, {"anwesend": "1"}).status_code == 404


def test_the_event_page_links_the_door_list_for_staff(client, door, event):
    client.force_login(door)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:check_in", args=[event.pk]) in page
    assert reverse("events:attendees", args=[event.pk]) not in page  # organisers only
