"""Recording a meeting after it took place ("Vergangene Veranstaltung nachtragen"): who
may (the same people as those who plan events), what bad input is refused with nothing
stored, and the recorded meeting in the Rückblick and on its page with its documentation,
without registration."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Documentation, Event, Kind
from mitmachen.events.services import EVENT_DOCUMENTED, event_create, past_event_record
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.projects.models import Follow
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("events:record_past")
ALLOWED = {"manager_own", "admin_own", "superuser"}
ROLES = [
    "anonymous",
    "resident",
    "moderator",
    "manager_own",
    "manager_other",
    "admin_own",
    "admin_other",
    "superuser",
]


def _person(role, home):
    if role == "anonymous":
        return AnonymousUser()
    if role == "resident":
        return UserFactory()
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    wanted = {"moderator": Role.MODERATOR, "manager": Role.PROJECT_MANAGER, "admin": Role.ADMIN}
    kind, _, where = role.partition("_")
    organisation = home if where in ("own", "") else OrganisationFactory()
    return MembershipFactory(organisation=organisation, role=wanted[kind]).user


def _last_week(hour=18):
    day = timezone.localdate() - timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _fields(region, **changes):
    """A Werkstatttreffen held a week ago, 18:00–20:00 in Ortsteil West."""
    start = _last_week()
    fields = {
        "kind": Kind.WORKSHOP_MEETING,
        "title": "Werkstatttreffen im Oktober",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place_name": "Rathaus, Ratssaal",
        "district": region["west"],
        "summary": "Wir haben drei Maßnahmen besprochen.",
        "participants": 14,
    }
    fields.update(changes)
    return fields


def _post(region, project=None, **changes):
    """The form's data for the meeting of ``_fields``."""
    day = timezone.localdate() - timedelta(days=7)
    data = {
        "organisation": region["organisation"].pk,
        "kind": Kind.WORKSHOP_MEETING,
        "title": "Werkstatttreffen im Oktober",
        "day": day.isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "place_name": "Rathaus, Ratssaal",
        "address": "",
        "district": region["west"].pk,
        "online_url": "",
        "description": "",
        "summary": "Wir haben drei Maßnahmen besprochen.",
        "participants": "14",
    }
    if project is not None:
        data["projects"] = [project.pk]
    data.update(changes)
    return data


def _nothing_stored():
    assert not Event.objects.exists()
    assert not Documentation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_a_past_meeting_through_the_service(role, region):
    person = _person(role, region["organisation"])
    if role in ALLOWED:
        event = past_event_record(
            user=person, organisation=region["organisation"], **_fields(region)
        )
        assert event.documentation.participants == 14
        return
    with pytest.raises(PermissionDenied) as refused:
        past_event_record(user=person, organisation=region["organisation"], **_fields(region))
    assert "nur die Verwaltung und die Projektleitungen" in str(refused.value)
    _nothing_stored()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_a_past_meeting_on_the_site(role, region, client):
    person = _person(role, region["organisation"])
    if role != "anonymous":
        client.force_login(person)
    response = client.get(URL)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        _nothing_stored()
        return
    if role in ("resident", "moderator"):
        assert response.status_code == 403
        assert client.post(URL, _post(region)).status_code == 403
        _nothing_stored()
        return
    assert response.status_code == 200
    offered = {o.pk for o in response.context["form"].fields["organisation"].queryset}
    assert (region["organisation"].pk in offered) == (role in ALLOWED)
    response = client.post(URL, _post(region))
    if role in ALLOWED:
        event = Event.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("events:documentation", args=[event.pk])
    else:
        # Staff of another municipality: the home municipality is not a choice.
        assert response.status_code == 400
        assert "Bitte wählen Sie eine der angebotenen Möglichkeiten." in response.content.decode()
        _nothing_stored()


def test_the_recorded_meeting_is_past_documented_and_without_registration(
    region, project, organiser, client
):
    follower = UserFactory()
    Follow.objects.create(project=project, user=follower)
    client.force_login(organiser)
    response = client.post(URL, _post(region, project), follow=True)
    assert "Die Veranstaltung ist nachgetragen" in response.content.decode()
    event = Event.objects.get()
    assert event.is_published and not event.registration_enabled and event.capacity is None
    assert event.has_ended
    assert timezone.localtime(event.starts_at).time() == time(18)
    assert list(event.projects.all()) == [project]
    assert event.documentation.summary == "Wir haben drei Maßnahmen besprochen."
    # The project's followers hear of it once, as of any documentation.
    assert Notification.objects.filter(recipient=follower, kind=EVENT_DOCUMENTED).count() == 1

    anonymous = client.__class__()
    review = anonymous.get(reverse("events:calendar") + "?ansicht=rueckblick").content.decode()
    assert "Werkstatttreffen im Oktober" in review
    assert "14 Personen dabei" in review
    page = anonymous.get(event.get_absolute_url()).content.decode()
    assert "14 Personen waren dabei." in page
    assert "Wir haben drei Maßnahmen besprochen." in page
    assert "Verbindlich anmelden" not in page and "Als Gast anmelden" not in page
    upcoming = anonymous.get(reverse("events:calendar")).content.decode()
    assert "Werkstatttreffen im Oktober" not in upcoming


BAD_SERVICE_INPUT = [
    # (changes, field, German message)
    (
        {"starts_at": timezone.now() + timedelta(days=2), "ends_at": None},
        "starts_at",
        "Nachtragen lässt sich nur eine Veranstaltung, die schon stattgefunden hat.",
    ),
    ({"ends_at": None, "hours": -1}, "ends_at", "Das Ende muss nach dem Beginn liegen."),
    (
        {"starts_at": timezone.now() - timedelta(hours=1), "ends_at": None, "hours": 2},
        "ends_at",
        "Die Veranstaltung ist noch nicht zu Ende",
    ),
    (
        {"starts_at": timezone.now() - timedelta(days=365 * 11), "ends_at": None},
        "starts_at",
        "mehr als 10 Jahre zurück",
    ),
    ({"summary": "   "}, "summary", "Bitte schreiben Sie, was bei der Veranstaltung herauskam."),
    ({"summary": "x" * 20001}, "summary", "Höchstens 20.000 Zeichen"),
    ({"participants": -3}, "participants", "Bitte geben Sie eine Zahl von 0 bis 100.000 an."),
    ({"place_name": ""}, "place_name", "Bitte geben Sie an, wo die Veranstaltung stattfindet."),
    (
        {"kind": Kind.ONLINE, "place_name": ""},
        "online_url",
        "Bitte geben Sie den Link zur Online-Teilnahme an.",
    ),
    ({"title": ""}, "title", "Dieses Feld darf nicht leer sein."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_SERVICE_INPUT)
def test_bad_input_to_the_service_stores_nothing(region, organiser, changes, field, message):
    changes = dict(changes)
    hours = changes.pop("hours", 2)
    fields = _fields(region, **changes)
    if fields["ends_at"] is None:
        fields["ends_at"] = fields["starts_at"] + timedelta(hours=hours)
    with pytest.raises(ValidationError) as refused:
        past_event_record(user=organiser, organisation=region["organisation"], **fields)
    assert any(message in m for m in refused.value.message_dict[field])
    _nothing_stored()


def test_another_municipalitys_ortsteil_or_project_is_refused(region, organiser):
    elsewhere = OrganisationFactory()
    fields = _fields(region, district=DistrictFactory(organisation=elsewhere))
    with pytest.raises(ValidationError) as refused:
        past_event_record(
            user=organiser,
            organisation=region["organisation"],
            projects=[ProjectFactory(organisation=elsewhere)],
            **fields,
        )
    assert (
        "Dieser Ortsteil gehört nicht zu dieser Kommune." in refused.value.message_dict["district"]
    )
    assert "gehören zu einer anderen Kommune" in refused.value.message_dict["projects"][0]
    _nothing_stored()


BAD_FORM_INPUT = [
    ({"day": (timezone.localdate() + timedelta(days=3)).isoformat()}, "schon stattgefunden hat"),
    ({"start_time": "20:00", "end_time": "18:00"}, "Das Ende muss nach dem Beginn liegen."),
    ({"day": "31.02.2026"}, "Bitte geben Sie ein gültiges Datum an."),
    ({"start_time": "abends"}, "Bitte geben Sie eine Uhrzeit an"),
    ({"summary": ""}, "Bitte schreiben Sie, was bei der Veranstaltung herauskam."),
    ({"participants": "-1"}, "Die Zahl kann nicht negativ sein."),
    ({"participants": "viele"}, "Bitte geben Sie eine ganze Zahl an."),
    ({"kind": "party"}, "Bitte wählen Sie eine der angebotenen Möglichkeiten."),
    ({"district": "999999"}, "Bitte wählen Sie eine der angebotenen Möglichkeiten."),
    ({"place_name": ""}, "Bitte geben Sie an, wo die Veranstaltung stattfindet."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_FORM_INPUT)
def test_bad_input_on_the_site_gets_a_german_message_and_stores_nothing(
    region, organiser, client, changes, message
):
    client.force_login(organiser)
    response = client.post(URL, _post(region, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'id="form-errors"' in body and "<title>Fehler:" in body
    _nothing_stored()


def test_every_other_path_still_refuses_a_new_event_in_the_past(region, organiser):
    with pytest.raises(ValidationError) as refused:
        event_create(
            user=organiser,
            organisation=region["organisation"],
            kind=Kind.WORKSHOP,
            title="Gestern",
            starts_at=_last_week(),
            ends_at=_last_week(20),
            place_name="Rathaus",
        )
    assert "nicht in der Vergangenheit beginnen" in refused.value.message_dict["starts_at"][0]
    assert Event.recorded_afterwards is False
    _nothing_stored()


def test_the_links_to_the_form_are_for_organisers_only(region, organiser, client):
    moderator = MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user
    review = reverse("events:calendar") + "?ansicht=rueckblick"
    for person, shown in ((organiser, True), (moderator, False)):
        client.force_login(person)
        for page in (review, reverse("dashboard:my_projects")):
            assert (URL in client.get(page).content.decode()) is shown, (person, page)
    client.logout()
    assert URL not in client.get(review).content.decode()


def test_the_demo_records_two_documented_past_werkstatttreffen_once():
    """The demo's past meetings go through the service, say they are invented, are in
    the past on 2nd Tuesdays, and a second seed adds nothing."""
    from mitmachen.events import demo

    UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    belzig = OrganisationFactory(slug="bad-belzig")
    DistrictFactory(organisation=belzig, slug="bad-belzig")
    klima = ProjectFactory(organisation=belzig, slug="klimawerkstatt-flaeming")
    added = []
    report = type("Report", (), {"add": lambda self, kind, name: added.append(kind)})()
    demo.demo_past_meetings(report)
    demo.demo_past_meetings(report)
    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 2 and added == ["Veranstaltung", "Veranstaltung"]
    for event in events:
        local = timezone.localtime(event.starts_at)
        assert event.has_ended and local.weekday() == 1 and 8 <= local.day <= 14
        assert event.title == demo.WORKSHOP_TITLE and list(event.projects.all()) == [klima]
        assert event.description.startswith(demo.INVENTED_PAST)
        assert event.documentation.summary.startswith("*Erfundenes Beispieltreffen")
        assert not event.registration_enabled
    assert [e.documentation.participants for e in events] == [18, 23]


def test_the_demo_gives_each_past_meeting_a_drawn_photo_saying_it_is_invented(
    client, settings, tmp_path
):
    """Issue 13's demo: the documented past meetings have photos. They are drawn by the
    demo (no image files in the repository), saved through ``documentation_save`` (so
    re-encoded like an upload), described as invented, and a second seed adds none."""
    from PIL import Image

    from mitmachen.events import demo

    settings.MEDIA_ROOT = tmp_path
    UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    belzig = OrganisationFactory(slug="bad-belzig")
    DistrictFactory(organisation=belzig, slug="bad-belzig")
    ProjectFactory(organisation=belzig, slug="klimawerkstatt-flaeming")
    added = []
    report = type("Report", (), {"add": lambda self, kind, name: added.append(kind)})()
    demo.demo_past_meetings(report)
    for _n in range(2):
        demo.demo_past_photos(report)
    assert added.count("Foto") == 2
    events = list(Event.objects.order_by("starts_at"))
    for event, (_kind, description) in zip(events, demo.PAST_PHOTOS, strict=True):
        (photo,) = event.documentation.images.all()
        assert photo.alt_text == description and "erfunden" in photo.alt_text
        with photo.image.open("rb") as stored, Image.open(stored) as picture:
            assert picture.size == (960, 640) and not picture.getexif()
    page = client.get(events[0].get_absolute_url()).content.decode()
    assert f'alt="{demo.PAST_PHOTOS[0][1]}"' in page


def test_the_form_runs_as_many_queries_with_2_as_with_30_projects(region, organiser, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    counts = []
    for total in (2, 30):
        while region["organisation"].projects.count() < total:
            ProjectFactory(organisation=region["organisation"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12, counts
