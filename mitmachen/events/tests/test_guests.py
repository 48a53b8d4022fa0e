"""Guest registration: double opt-in by mail, the personal link to confirm and cancel."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Registration, Status
from mitmachen.events.services import (
    event_save,
    guest_cancel,
    guest_confirm,
    guest_register,
    registration_register,
)

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"


def _link(message) -> str:
    found = re.search(r"http://testserver(/veranstaltungen/anmeldung/[^/\s]+/)", message.body)
    assert found is not None, message.body
    return found[1]


def test_a_guest_registers_confirms_by_mail_and_cancels(
    client, event, django_capture_on_commit_callbacks
):
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Als Gast anmelden" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:guest_register", args=[event.pk]),
            {"guest_name": "Gerda Gast", "guest_email": "gerda@example.org"},
            follow=True,
        )
    assert "E-Mail geschickt" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "unbestaetigt" and registration.queued_at is None
    (message,) = mail.outbox
    assert message.to == ["gerda@example.org"] and "Werkstatt Marktplatz" in message.subject
    link = _link(message)
    # Opening the link (as a mail scanner would) confirms nothing.
    assert "Anmeldung bestätigen" in client.get(link).content.decode()
    assert Registration.objects.get().status == "unbestaetigt"
    response = client.post(f"{link}bestaetigen/", follow=True)
    assert "Sie sind angemeldet" in response.content.decode()
    assert Registration.objects.get().status == "angemeldet"
    response = client.post(f"{link}stornieren/", follow=True)
    assert "storniert" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"guest_name": "Gerda", "guest_email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"guest_name": "", "guest_email": "gerda@example.org"}, "Ihren Namen"),
        ({"guest_name": "Gerda", "guest_email": ""}, "gültige E-Mail-Adresse"),
    ],
)
def test_bad_guest_input_is_refused_and_stores_nothing(client, event, data, message):
    response = client.post(reverse("events:guest_register", args=[event.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


def test_a_pending_guest_holds_no_place_and_queues_when_confirming(event):
    guest = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url=SITE)
    for _ in range(3):
        registration_register(user=UserFactory(), event=event)
    assert guest_confirm(token=guest.token).status == "warteliste"
    # Confirming again changes nothing.
    assert guest_confirm(token=guest.token).status == "warteliste"


def test_the_same_address_twice_is_one_registration_mailed_again(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url=SITE)
        again = guest_register(event=event, name="G.", email="GERDA@example.org", site_url=SITE)
    assert first.pk == again.pk and len(mail.outbox) == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, guest_name="X", guest_email="Gerda@Example.org", status="unbestaetigt"
        )


def test_a_guest_who_moves_up_is_told_by_mail(event, django_capture_on_commit_callbacks):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        registration_register(user=person, event=event)
    guest = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url=SITE)
    guest_confirm(token=guest.token)
    mail.outbox.clear()
    from mitmachen.events.services import registration_cancel

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(user=people[0], event=event, site_url=SITE)
    assert Registration.objects.get(pk=guest.pk).status == "angemeldet"
    assert [m.to for m in mail.outbox] == [["gerda@example.org"]]
    assert "Platz" in mail.outbox[0].subject


def test_guests_are_told_of_a_cancellation(event, organiser, django_capture_on_commit_callbacks):
    guest = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url=SITE)
    guest_confirm(token=guest.token)
    guest_register(event=event, name="Paul", email="paul@example.org", site_url=SITE)  # pending
    mail.outbox.clear()
    event.status, event.status_note = Status.CANCELLED, "Wasserschaden im Saal."
    with django_capture_on_commit_callbacks(execute=True):
        event_save(user=organiser, event=event)
    assert [m.to for m in mail.outbox] == [["gerda@example.org"]]
    assert "Wasserschaden" in mail.outbox[0].body


def test_unknown_links_and_closed_events(client, event):
    assert client.get("/veranstaltungen/anmeldung/unbekannt/").status_code == 404
    assert client.post("/veranstaltungen/anmeldung/unbekannt/bestaetigen/").status_code == 404
    assert not guest_cancel(token="unbekannt", site_url=SITE)
    guest = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url=SITE)
    event.starts_at = timezone.now() - timezone.timedelta(minutes=1)
    event.save()
    response = client.post(f"/veranstaltungen/anmeldung/{guest.token}/bestaetigen/", follow=True)
    assert "schon begonnen" in response.content.decode()
    assert Registration.objects.get().status == "unbestaetigt"


def test_signed_in_people_get_no_guest_form(client, event, resident):
    client.force_login(resident)
    assert "Als Gast" not in client.get(event.get_absolute_url()).content.decode()


def test_deleting_an_account_deletes_guest_registrations_with_its_address(event):
    from mitmachen.accounts.services import account_delete

    person = UserFactory(email="gerda@example.org")
    guest_register(event=event, name="Gerda", email="Gerda@example.org", site_url=SITE)
    other = guest_register(event=event, name="Paul", email="paul@example.org", site_url=SITE)
    account_delete(user=person)
    assert list(Registration.objects.all()) == [other]
