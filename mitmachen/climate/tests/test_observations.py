"""Mitmach-Daten: staff open campaigns, residents report observations (with a map point
or, without JavaScript, an Ortsteil), one per person, place and day; the campaign page
shows visible observations on a map, by Ortsteil and in a table, and as CSV without
personal data; moderation hides them; "Meine Daten" exports them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate import services
from mitmachen.climate.models import Observation
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def town():
    project = ProjectFactory()
    # DistrictFactory draws 0.01° squares; two neighbours, south-west corners given
    first = DistrictFactory(organisation=project.organisation, name="Altstadt")
    second = DistrictFactory(organisation=project.organisation, name="Neustadt")
    return project, first, second


def inside(district):
    lon, lat = district.geometry["coordinates"][0][0]
    return lon + 0.005, lat + 0.005


def page_url(campaign, suffix=""):
    return (
        f"/kommunen/{campaign.project.organisation.slug}/klima/mitmach-daten/{campaign.pk}/{suffix}"
    )


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def submit(user, campaign, **data):
    values = {"observed_on": TODAY(), "number_value": 34.5}
    values.update(data)
    return services.observation_submit(user=user, campaign=campaign, data=values)


def test_staff_open_campaigns_residents_do_not(town):
    project, _a, _b = town
    data = {
        "title": "Starkregen: wo stand Wasser?",
        "question": "Stand hier nach dem Regen Wasser?",
        "description": "Wir sammeln Orte, an denen Wasser stand.",
        "value_kind": "janein",
        "starts_on": TODAY(),
        "ends_on": TODAY() + timedelta(days=5),
    }
    manager = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    campaign = services.campaign_save(user=manager, project=project, data=data)
    assert campaign.pk
    with pytest.raises(PermissionDenied):
        services.campaign_save(user=UserFactory(), project=project, data=data)
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    with pytest.raises(PermissionDenied):
        services.campaign_save(user=moderator, project=project, data=data)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value_kind": "zahl", "unit": ""}, "unit", "Einheit der Zahl"),
        (
            {"value_kind": "auswahl", "unit": "", "choices": "nur eins"},
            "choices",
            "mindestens zwei",
        ),
        ({"value_kind": "auswahl", "unit": "", "choices": "a\na"}, "choices", "nur einmal"),
        ({"value_kind": "janein", "unit": "°C"}, "unit", "nur bei Zahlen"),
        ({"ends_on": TODAY() - timedelta(days=30)}, "ends_on", "nicht vor dem Beginn"),
    ],
)
def test_a_campaign_that_does_not_make_sense_is_refused(town, fields, field, message):
    project, _a, _b = town
    data = {
        "title": "Hitzeorte",
        "question": "Wie heiß?",
        "description": "…",
        "value_kind": "zahl",
        "unit": "°C",
        "starts_on": TODAY(),
        "ends_on": TODAY() + timedelta(days=5),
        **fields,
    }
    with pytest.raises(ValidationError) as refused:
        services.campaign_save(user=None, project=project, data=data)
    assert message in " ".join(refused.value.message_dict[field])


def test_a_point_decides_the_ortsteil_and_shows_on_map_table_and_csv(client, town):
    project, altstadt, neustadt = town
    campaign = campaign_in(project)
    resident = UserFactory(email="anna.beispiel@example.org", display_name="Anna Beispiel")
    lon, lat = inside(neustadt)
    observation = submit(resident, campaign, lon=lon, lat=lat, district=altstadt)
    assert observation.district == neustadt  # the point wins over the chosen Ortsteil
    assert observation.place_key == f"p:{lon:.3f}:{lat:.3f}"
    page = text(client.get(page_url(campaign)))
    assert page.count("<circle ") == 1
    assert "34,5 °C" in page
    assert re.search(r"Neustadt</th> ?<td[^>]*>1</td>", page)
    assert re.search(r"Altstadt</th> ?<td[^>]*>0</td>", page)
    csv = b"".join(client.get(page_url(campaign, "daten.csv")).streaming_content).decode()
    header, row = csv.strip().split("\n")
    assert header.startswith("tag;laengengrad;breitengrad;ortsteil")
    assert row.startswith(f"{TODAY().isoformat()};") and ";Neustadt;" in row and ";34,5;°C;" in row
    for personal in ("anna", "Anna", "Beispiel", str(resident.pk)):
        assert personal not in csv.replace(str(campaign.pk), "")


def test_a_point_outside_the_municipality_is_refused_and_nothing_stored(town):
    project, _a, _b = town
    campaign = campaign_in(project)
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), campaign, lon=5.0, lat=45.0)
    assert "liegt außerhalb von" in str(refused.value)
    assert not Observation.objects.exists()


def test_without_javascript_the_ortsteil_and_a_description_name_the_place(client, town):
    project, altstadt, _b = town
    campaign = campaign_in(project)
    resident = UserFactory()
    client.force_login(resident)
    form = client.get(page_url(campaign, "melden/"))
    assert form.status_code == 200
    response = client.post(
        page_url(campaign, "melden/"),
        {
            "observed_on": TODAY().isoformat(),
            "district": altstadt.pk,
            "place_description": "Bushaltestelle am Markt",
            "number_value": "36,5",
            "lon": "",
            "lat": "",
        },
    )
    observation = Observation.objects.get()
    assert response.status_code == 302 and response["Location"] == observation.get_absolute_url()
    assert (observation.district, observation.lon, observation.number_value) == (
        altstadt,
        None,
        36.5,
    )
    assert observation.place_key == f"o:{altstadt.pk}"
    assert "Bushaltestelle am Markt" in text(client.get(observation.get_absolute_url()))


def test_a_form_without_a_place_or_with_a_bad_number_says_so_in_german(client, town):
    project, _a, _b = town
    campaign = campaign_in(project)
    client.force_login(UserFactory())
    response = client.post(
        page_url(campaign, "melden/"), {"observed_on": "gestern", "number_value": "heiß"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "<title>Fehler:" in page
    assert "Bitte wählen Sie den Ortsteil" in page
    assert "Bitte geben Sie eine Zahl an" in page
    assert "Bitte geben Sie den Tag als Datum an" in page
    assert not Observation.objects.exists()


def test_one_observation_per_person_place_and_day(town):
    project, altstadt, neustadt = town
    campaign = campaign_in(project)
    resident = UserFactory()
    lon, lat = inside(altstadt)
    submit(resident, campaign, lon=lon, lat=lat)
    with pytest.raises(ValidationError) as refused:  # 20 m further: the same place
        submit(resident, campaign, lon=lon + 0.0002, lat=lat + 0.0001, number_value=30)
    assert "schon eine Beobachtung" in str(refused.value)
    submit(resident, campaign, lon=lon, lat=lat, observed_on=TODAY() - timedelta(days=1))
    submit(resident, campaign, district=neustadt)  # another place: the Ortsteil
    submit(UserFactory(), campaign, lon=lon, lat=lat)  # someone else
    assert Observation.objects.count() == 4


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"starts_on": TODAY() + timedelta(days=2)}, "Die Kampagne beginnt am"),
        (
            {"starts_on": TODAY() - timedelta(days=9), "ends_on": TODAY() - timedelta(days=1)},
            "zu Ende gegangen",
        ),
    ],
)
def test_only_while_the_campaign_runs(client, town, fields, reason):
    project, altstadt, _b = town
    campaign = campaign_in(project, **fields)
    resident = UserFactory()
    with pytest.raises(PermissionDenied, match=reason):
        submit(resident, campaign, district=altstadt)
    client.force_login(resident)
    assert reason in text(client.get(page_url(campaign)))
    assert client.get(page_url(campaign, "melden/")).status_code == 403


def test_a_day_outside_the_campaign_or_in_the_future_is_refused(town):
    project, altstadt, _b = town
    campaign = campaign_in(project)
    for day, message in [
        (TODAY() + timedelta(days=1), "in der Zukunft"),
        (TODAY() - timedelta(days=11), "nicht im Zeitraum"),
    ]:
        with pytest.raises(ValidationError, match=message):
            submit(UserFactory(), campaign, district=altstadt, observed_on=day)


def test_anonymous_visitors_are_sent_to_sign_in_and_drafts_are_hidden(client, town):
    project, _a, _b = town
    campaign = campaign_in(project)
    response = client.get(page_url(campaign, "melden/"))
    assert response.status_code == 302
    assert "next=" in response["Location"] and "melden" in response["Location"]
    assert "Bitte melden Sie sich an" in text(client.get(page_url(campaign)))
    project.visibility = Visibility.DRAFT
    project.save()
    assert client.get(page_url(campaign)).status_code == 404


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[0x8825] = {1: "N", 2: (52.0, 8.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("hitze.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_photo_needs_its_description_and_loses_its_exif(
    client, town, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    project, altstadt, _b = town
    campaign = campaign_in(project)
    client.force_login(UserFactory())
    post = {"observed_on": TODAY().isoformat(), "district": altstadt.pk, "number_value": "33"}
    missing = client.post(page_url(campaign, "melden/"), {**post, "photo": _jpeg_with_gps()})
    assert "Bitte beschreiben Sie, was auf dem Foto zu sehen ist." in text(missing)
    assert not Observation.objects.exists()
    client.post(
        page_url(campaign, "melden/"),
        {**post, "photo": _jpeg_with_gps(), "photo_alt": "Pflaster ohne Schatten"},
    )
    observation = Observation.objects.get()
    with Image.open(observation.photo.path) as stored:
        assert not stored.getexif()
    page = text(client.get(observation.get_absolute_url()))
    assert 'alt="Pflaster ohne Schatten"' in page
    path = observation.photo.path
    assert (tmp_path / path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(observation.get_absolute_url() + "zurueckziehen/")
    assert not Observation.objects.exists()
    assert not (tmp_path / path).exists()  # the file goes with the row


def test_hidden_observations_leave_page_map_and_csv_and_can_be_reported(client, town):
    project, altstadt, _b = town
    campaign = campaign_in(project)
    shown = submit(UserFactory(), campaign, lon=inside(altstadt)[0], lat=inside(altstadt)[1])
    hidden = submit(UserFactory(), campaign, district=altstadt, number_value=99.0)
    Observation.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    page = text(client.get(page_url(campaign)))
    assert "99 °C" not in page and "34,5 °C" in page
    csv = b"".join(client.get(page_url(campaign, "daten.csv")).streaming_content).decode()
    assert ";99.0;" not in csv and ";99;" not in csv and len(csv.strip().split("\n")) == 2
    assert client.get(hidden.get_absolute_url()).status_code == 404
    reporter = UserFactory()
    client.force_login(reporter)
    detail = text(client.get(shown.get_absolute_url()))
    assert f"/melden/klima-beobachtung/{shown.pk}/" in detail
    assert client.get(f"/melden/klima-beobachtung/{shown.pk}/").status_code == 200


def test_only_the_author_withdraws(client, town):
    project, altstadt, _b = town
    observation = submit(UserFactory(), campaign_in(project), district=altstadt)
    client.force_login(UserFactory())
    assert client.post(observation.get_absolute_url() + "zurueckziehen/").status_code == 403
    assert Observation.objects.exists()


def test_choice_and_yes_no_answers(town):
    project, altstadt, _b = town
    choice = campaign_in(project, value_kind="auswahl", unit="", choices="Sonne\nSchatten")
    yes_no = campaign_in(project, title="Wasser?", value_kind="janein", unit="")
    resident = UserFactory()
    with pytest.raises(ValidationError, match="eine der Möglichkeiten"):
        submit(resident, choice, district=altstadt, choice_value="Regen")
    assert (
        submit(resident, choice, district=altstadt, choice_value="Schatten").answer() == "Schatten"
    )
    assert submit(resident, yes_no, district=altstadt, yes_no=False).answer() == "nein"


def test_my_data_lists_my_observations(town):
    from mitmachen.climate.personal_data import export_observations

    project, altstadt, _b = town
    resident = UserFactory()
    submit(resident, campaign_in(project), district=altstadt, place_description="Am Teich")
    exported = export_observations(resident)
    assert [(e["ort"], e["ortsteil"], e["antwort"]) for e in exported] == [
        ("Am Teich", "Altstadt", "34,5 °C")
    ]
    assert export_observations(UserFactory()) == []


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_campaign_page_queries_do_not_grow_with_observations(client, town):
    project, altstadt, neustadt = town
    campaign = campaign_in(project)
    submit(UserFactory(), campaign, district=altstadt)
    client.force_login(UserFactory())
    few = _count(client, page_url(campaign))
    for n in range(40):
        lon, lat = inside(neustadt if n % 2 else altstadt)
        submit(UserFactory(), campaign, lon=lon + n * 1e-4, lat=lat)
    assert _count(client, page_url(campaign)) == few
    assert _count(client, page_url(campaign)) <= 14
    assert "Seite 1 von 1" not in text(client.get(page_url(campaign)))
