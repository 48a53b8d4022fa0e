""" "Was dabei herauskam": staff document an event once it is over; residents read it on
the event page and in the calendar's "Rückblick"; people registered with an account and
the followers of the event's projects are told once."""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.test_images import jpeg_with_gps
from mitmachen.events.models import Documentation, DocumentationImage, Registration
from mitmachen.events.services import EVENT_DOCUMENTED, documentation_save
from mitmachen.events.tests.factories import EventFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Follow
from mitmachen.proposals.tests.test_media import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def past(region, project):
    """A workshop that ended yesterday, in Ortsteil West, registration on."""
    start = timezone.now() - timedelta(days=1, hours=3)
    return EventFactory(
        organisation=region["organisation"],
        district=region["west"],
        projects=[project],
        title="Werkstatt Marktplatz",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
    )


def _url(event):
    return reverse("events:documentation", args=[event.pk])


def test_the_organiser_documents_and_people_are_told_once(past, project, organiser, resident):
    Registration.objects.create(
        event=past, user=resident, status="angemeldet", queued_at=timezone.now()
    )
    follower = UserFactory()
    Follow.objects.create(project=project, user=follower)
    Follow.objects.create(project=project, user=resident)  # both: told once
    Follow.objects.create(project=project, user=organiser)  # the writer is not told
    stranger = UserFactory()
    documentation = documentation_save(
        user=organiser,
        event=past,
        summary="## Ergebnisse\n\nMehr **Bänke** am Markt.",
        protocol=pdf(pages=2),
        image=jpeg_with_gps(),
        alt_text="Zwölf Menschen an Stellwänden im Rathaussaal",
    )
    assert documentation.protocol_pages == 2
    assert documentation.protocol_size and documentation.protocol.name.endswith(".pdf")
    image = documentation.images.get()
    with Image.open(image.image.path) as stored:
        assert not stored.getexif()  # no GPS of the phone on the public site
    told = Notification.objects.filter(kind=EVENT_DOCUMENTED)
    assert sorted(n.recipient_id for n in told) == sorted([resident.pk, follower.pk])
    assert not told.filter(recipient=stranger).exists()
    assert told.first().url == past.get_absolute_url() + "#dokumentation"
    documentation_save(user=organiser, event=past, summary="Neu: auch Bäume.")
    assert told.count() == 2, "a change tells nobody again"
    documentation.refresh_from_db()
    assert documentation.summary == "Neu: auch Bäume."
    assert documentation.images.count() == 1 and documentation.protocol


def test_the_event_page_shows_the_documentation_and_the_review_lists_it(
    client, past, organiser, region, project
):
    documentation_save(
        user=organiser,
        event=past,
        summary="Mehr **Bänke** am Markt.",
        protocol=pdf(),
        image=jpeg_with_gps(),
        alt_text="Stellwände mit Zetteln",
    )
    undocumented = EventFactory(
        organisation=region["organisation"],
        title="Nicht dokumentiert",
        starts_at=past.starts_at,
        ends_at=past.ends_at,
    )
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Was dabei herauskam" in page and "<strong>Bänke</strong>" in page
    assert 'alt="Stellwände mit Zetteln"' in page
    assert "Protokoll herunterladen" in page and "1 Seite" in page
    review = client.get(reverse("events:calendar"), {"ansicht": "rueckblick"}).content.decode()
    assert "Werkstatt Marktplatz" in review and "1 Foto" in review and "mit Protokoll" in review
    assert undocumented.title not in review
    other = client.get(
        reverse("events:calendar"), {"ansicht": "rueckblick", "ortsteil": region["east"].pk}
    ).content.decode()
    assert "Werkstatt Marktplatz" not in other, "the filters apply to the review"
    assert "noch keine dokumentierte Veranstaltung" in other
    upcoming = client.get(reverse("events:calendar")).content.decode()
    assert "Werkstatt Marktplatz" not in upcoming


def test_an_ended_event_without_documentation_says_it_will_come(client, past, organiser):
    page = client.get(past.get_absolute_url()).content.decode()
    assert "sobald die Verwaltung es aufgeschrieben hat" in page
    client.force_login(organiser)
    assert "Dokumentation schreiben" in client.get(past.get_absolute_url()).content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_the_review_runs_as_many_queries_with_few_and_many(client, region, organiser, n):
    start = timezone.now() - timedelta(days=40)
    for i in range(n):
        event = EventFactory(
            organisation=region["organisation"],
            district=region["west"],
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
        )
        documentation_save(
            user=organiser,
            event=event,
            summary=f"Ergebnis {i}",
            image=jpeg_with_gps(),
            alt_text=f"Foto {i}",
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("events:calendar"), {"ansicht": "rueckblick"})
    assert response.status_code == 200
    assert response.content.decode().count("#dokumentation") == n
    # 5 for the page, 1 for the footer (the project offices, none here; cached in production).
    assert len(queries) == 6, [q["sql"] for q in queries]


def test_the_event_page_with_documentation_is_bounded(client, past, organiser, resident):
    for i in range(5):
        documentation_save(
            user=organiser, event=past, summary="x", image=jpeg_with_gps(), alt_text=f"Foto {i}"
        )
    client.force_login(resident)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(past.get_absolute_url()).content.decode()
    assert page.count('alt="Foto ') == 5
    # 12 for the event and its documentation, +2 for the measures' box under it ("Was
    # daraus wurde", event.footer): its measures and, read once a process, the content type.
    assert len(queries) <= 14, [q["sql"] for q in queries]


def test_who_may_document(client, past, organiser, resident, region):
    moderator = MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user
    elsewhere = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    assert client.get(_url(past)).status_code == 302  # to the login
    for user in (resident, moderator, elsewhere):
        client.force_login(user)
        response = client.post(_url(past), {"summary": "Hallo"})
        assert response.status_code == 403, user
        with pytest.raises(PermissionDenied):
            documentation_save(user=user, event=past, summary="Hallo")
    assert not Documentation.objects.exists()
    client.force_login(organiser)
    assert client.get(_url(past)).status_code == 200


def test_not_before_the_end_nor_for_a_cancelled_event(client, event, past, organiser):
    client.force_login(organiser)
    response = client.get(_url(event))
    assert response.status_code == 403
    assert "sobald sie vorbei ist" in response.content.decode()
    past.status, past.status_note = "abgesagt", "Krankheit"
    past.save()
    with pytest.raises(PermissionDenied, match="abgesagt"):
        documentation_save(user=organiser, event=past, summary="Hallo")
    assert not Documentation.objects.exists()


def _png(size=(20, 20)):
    from io import BytesIO

    buffer = BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


BAD = [
    ({"summary": ""}, {}, "summary", "was bei der Veranstaltung herauskam"),
    ({"summary": "ok", "participants": "-3"}, {}, "participants", "nicht negativ"),
    ({"summary": "ok", "participants": "viele"}, {}, "participants", "ganze Zahl"),
    ({"summary": "ok", "participants": "100001"}, {}, "participants", "100.000"),
    ({"summary": "x" * 20001}, {}, "summary", "20.000"),
    ({"summary": "ok"}, {"image": "png"}, "alt_text", "beschreiben Sie"),
    ({"summary": "ok", "alt_text": "Ein Foto"}, {}, "image", "fehlt das Bild"),
    ({"summary": "ok", "alt_text": "x" * 251}, {"image": "png"}, "alt_text", "250"),
    (
        {"summary": "ok"},
        {"protocol": SimpleUploadedFile("p.pdf", b"<html>nein</html>")},
        "protocol",
        "keine PDF-Datei",
    ),
    (
        {"summary": "ok", "alt_text": "Foto"},
        {"image": SimpleUploadedFile("f.png", b"GIF89a kein Bild")},
        "image",
        "kein lesbares Bild",
    ),
    (
        {"summary": "ok"},
        {"protocol": SimpleUploadedFile("p.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))},
        "protocol",
        "größer als 10 MB",
    ),
]


@pytest.mark.parametrize(("data", "files", "field", "message"), BAD)
def test_bad_input_is_refused_in_german_and_stores_nothing(
    client, past, organiser, data, files, field, message
):
    files = {k: _png() if v == "png" else v for k, v in files.items()}
    client.force_login(organiser)
    response = client.post(_url(past), {**data, **files})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert page.count('class="kern-error"') >= 1
    assert not Documentation.objects.exists()
    assert not DocumentationImage.objects.exists()


def test_a_bad_photo_keeps_the_earlier_documentation_as_it_was(client, past, organiser):
    documentation_save(user=organiser, event=past, summary="Vorher", protocol=pdf())
    client.force_login(organiser)
    response = client.post(
        _url(past), {"summary": "Nachher", "remove_protocol": "on", "image": _png()}
    )
    assert response.status_code == 400
    documentation = Documentation.objects.get()
    assert documentation.summary == "Vorher" and documentation.protocol


def test_photos_and_the_protocol_are_removed_and_replaced(
    client, past, organiser, django_capture_on_commit_callbacks
):
    documentation_save(
        user=organiser, event=past, summary="A", protocol=pdf(), image=_png(), alt_text="Eins"
    )
    documentation_save(user=organiser, event=past, summary="A", image=_png(), alt_text="Zwei")
    first = DocumentationImage.objects.get(alt_text="Eins")
    old_file = first.image.path
    old_protocol = Documentation.objects.get().protocol.path
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(past),
            {"summary": "B", "remove_images": [str(first.pk)], "protocol": pdf(pages=3)},
        )
    assert response.status_code == 302
    documentation = Documentation.objects.get()
    assert documentation.summary == "B" and documentation.protocol_pages == 3
    assert list(documentation.images.values_list("alt_text", flat=True)) == ["Zwei"]
    assert not os.path.exists(old_file) and not os.path.exists(old_protocol)
    response = client.post(_url(past), {"summary": "B", "remove_protocol": "on"})
    documentation.refresh_from_db()
    assert not documentation.protocol and documentation.protocol_pages is None


def test_an_image_without_description_is_refused_by_the_database(past, organiser):
    documentation = documentation_save(user=organiser, event=past, summary="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentationImage.objects.create(documentation=documentation, image="x.png", alt_text="")


def test_the_service_checks_the_photo_and_its_description_itself(past, organiser):
    """The admin, the demo or a command call the service without the form."""
    with pytest.raises(ValidationError) as refused:
        documentation_save(user=organiser, event=past, summary="A", image=_png(), alt_text=" ")
    assert "beschreiben Sie" in str(refused.value.message_dict["alt_text"])
    with pytest.raises(ValidationError) as refused:
        documentation_save(user=organiser, event=past, summary="A", alt_text="Ein Foto")
    assert "fehlt das Bild" in str(refused.value.message_dict["image"])
    for i in range(12):
        documentation_save(user=organiser, event=past, summary="A", image=_png(), alt_text=f"{i}")
    with pytest.raises(ValidationError, match="Höchstens 12 Bilder"):
        documentation_save(user=organiser, event=past, summary="A", image=_png(), alt_text="13")
    assert DocumentationImage.objects.count() == 12


def test_the_number_of_participants_is_shown_and_checked(client, past, organiser):
    client.force_login(organiser)
    response = client.post(_url(past), {"summary": "Viel gesammelt.", "participants": "23"})
    assert response.status_code == 302
    assert Documentation.objects.get().participants == 23
    form = client.get(_url(past)).content.decode()
    assert 'name="participants"' in form and 'value="23"' in form
    client.logout()
    assert "23 Personen waren dabei." in client.get(past.get_absolute_url()).content.decode()
    review = client.get(reverse("events:calendar"), {"ansicht": "rueckblick"}).content.decode()
    assert "23 Personen dabei" in review
    # Not counted: nothing is said; the service checks the number itself.
    documentation_save(user=organiser, event=past, summary="Ohne Zahl")
    assert "waren dabei" not in client.get(past.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError) as raised:
        documentation_save(user=organiser, event=past, summary="x", participants=-1)
    assert "participants" in raised.value.message_dict
    assert Documentation.objects.get().participants is None
