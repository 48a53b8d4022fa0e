"""Setting up a project in the site: permissions, scoped choices, bad input, warnings,
query counts and the public page after publishing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
)
from mitmachen.polls.tests.factories import PollFactory
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory
from mitmachen.projects.tests.staff_matrix import (
    MAY_CHANGE,
    assert_matrix,
    led_project,
    staff_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    town = led_project(title="Geleitet")
    start = timezone.now() + timedelta(days=10)
    town["phase"] = PhaseFactory(
        project=town["project"], name="Erste", start=start, end=start + timedelta(days=5)
    )
    PhaseFactory(
        project=town["project"],
        name="Zweite",
        start=start + timedelta(days=6),
        end=start + timedelta(days=20),
    )
    return town


def _people(town):
    return staff_people(town["home"], town["other"], town["manager"])


# Who may create a project at all (MAY_CHANGE: who may change "geleitet").
MAY_CREATE = {"manager_own", "manager_other", "admin_own", "admin_other", "superuser"}


def _pages(town):
    slug, pk = town["project"].slug, town["phase"].pk
    return [
        ("GET", reverse("dashboard:project_new"), {}, MAY_CREATE),
        ("GET", reverse("dashboard:project_setup", args=[slug]), {}, MAY_CHANGE),
        ("GET", reverse("dashboard:project_basics", args=[slug]), {}, MAY_CHANGE),
        ("GET", reverse("dashboard:project_preview", args=[slug]), {}, MAY_CHANGE),
        ("GET", reverse("dashboard:phase_new", args=[slug]), {}, MAY_CHANGE),
        ("GET", reverse("dashboard:phase_edit", args=[slug, pk]), {}, MAY_CHANGE),
        ("GET", reverse("dashboard:phase_delete", args=[slug, pk]), {}, MAY_CHANGE),
        (
            "POST",
            reverse("dashboard:phase_move", args=[slug, pk]),
            {"richtung": "unten"},
            MAY_CHANGE,
        ),
        (
            "POST",
            reverse("dashboard:project_visibility", args=[slug]),
            {"visibility": "draft"},
            MAY_CHANGE,
        ),
    ]


def test_permission_matrix(client, town):
    assert_matrix(client, _people(town), _pages(town))


def test_the_other_municipalitys_project_is_refused_to_its_neighbours(client, town):
    client.force_login(town["manager"])
    foreign = town["foreign"]
    for name in ("project_setup", "project_basics", "project_preview", "phase_new"):
        assert client.get(reverse(f"dashboard:{name}", args=[foreign.slug])).status_code == 403
    phase = PhaseFactory(project=foreign)
    url = reverse("dashboard:phase_edit", args=[town["project"].slug, phase.pk])
    assert client.get(url).status_code == 404  # a phase of another project


def test_every_choice_list_is_scoped_to_the_own_municipality(client, town):
    DistrictFactory(organisation=town["home"], name="Eigener Ortsteil")
    foreign_district = DistrictFactory(organisation=town["other"], name="Fremder Ortsteil")
    client.force_login(town["manager"])
    for url in (
        reverse("dashboard:project_new"),
        reverse("dashboard:project_basics", args=[town["project"].slug]),
    ):
        content = client.get(url).content.decode()
        assert "Eigener Ortsteil" in content, url
        assert "Fremder Ortsteil" not in content and "Nachbarort" not in content, url
    # A forged choice is refused and nothing is stored.
    response = client.post(
        reverse("dashboard:project_new"),
        {
            "organisation": town["other"].pk,
            "title": "Fremd angelegt",
            "summary": "Kurz.",
            "districts": [foreign_district.pk],
        },
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Project.objects.filter(title="Fremd angelegt").exists()


def test_superuser_chooses_the_municipality(client, town):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    content = client.get(reverse("dashboard:project_new")).content.decode()
    assert "Heimatstadt" in content and "Nachbarort" in content


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 25), "#336699").save(buffer, format="PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")


def test_a_manager_creates_a_project_with_image_topics_and_districts(client, town):
    district = DistrictFactory(organisation=town["home"], name="Lübnitz")
    topic = TopicFactory(name="Mobilität")
    client.force_login(town["manager"])
    response = client.post(
        reverse("dashboard:project_new"),
        {
            "organisation": town["home"].pk,
            "title": "Radwege für Lübnitz",
            "slug": "",
            "summary": "Wo fehlen Radwege?",
            "description": "## Worum es geht\n\nSichere Wege.",
            "image": _png(),
            "image_alt": "Ein Radweg am Feldrand",
            "topics": [topic.pk],
            "districts": [district.pk],
        },
    )
    project = Project.objects.get(title="Radwege für Lübnitz")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:project_setup", args=["radwege-fur-lubnitz"])
    assert project.slug == "radwege-fur-lubnitz"
    assert project.visibility == Visibility.DRAFT
    assert project.image and project.image_alt == "Ein Radweg am Feldrand"
    assert list(project.topics.all()) == [topic] and list(project.districts.all()) == [district]
    assert list(project.managers.all()) == [town["manager"]]


BASICS = {"title": "Titel", "slug": "titel", "summary": "Kurz."}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "x" * (5 * 1024 * 1024)}, "title", "höchstens 120 Zeichen"),
        ({"title": "<script>alert(1)</script>"}, "title", "Bitte ohne HTML"),
        ({"description": "Hallo <script>alert(1)</script>"}, "description", "Skripte"),
        ({"summary": "Klick <img src=x onerror=alert(1)>"}, "summary", "Bitte ohne HTML"),
        ({"image": "bild"}, "image_alt", "Alternativtext"),
        ({"slug": "neu"}, "slug", "reserviert"),
        ({"slug": "fremd"}, "slug", "schon ein anderer"),
        ({"slug": "Mit Leerzeichen"}, "slug", "gültige"),
        ({"title": ""}, "title", "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_bad_basics_give_a_german_message_and_store_nothing(client, town, changes, field, message):
    client.force_login(town["manager"])
    data = {"organisation": town["home"].pk, **BASICS, **changes}
    if data.get("image") == "bild":
        data["image"] = _png()
    before = Project.objects.count()
    response = client.post(reverse("dashboard:project_new"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content, content[:2000]
    assert "Bitte prüfen Sie Ihre Eingaben." in content
    assert Project.objects.count() == before


def test_editing_basics_keeps_the_image_and_refuses_a_missing_alt_text(client, town):
    project = town["project"]
    client.force_login(town["manager"])
    url = reverse("dashboard:project_basics", args=[project.slug])
    data = {**BASICS, "slug": project.slug, "image": _png(), "image_alt": "Marktplatz"}
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    image = project.image.name
    assert image
    response = client.post(url, {**BASICS, "slug": project.slug, "image_alt": ""})
    assert "Bitte beschreiben Sie das Bild" in response.content.decode()
    project.refresh_from_db()
    assert project.image.name == image and project.image_alt == "Marktplatz"
    client.post(url, {**BASICS, "slug": project.slug, "remove_image": "on"})
    project.refresh_from_db()
    assert not project.image


def _phase_data(start, end, **extra):
    return {
        "name": "Neue Phase",
        "start_date": start.strftime("%Y-%m-%d"),
        "start_time": "00:00",
        "end_date": end.strftime("%Y-%m-%d"),
        "end_time": "23:59",
        **extra,
    }


def test_phases_are_added_and_bad_dates_refused(client, town):
    project = town["project"]
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_new", args=[project.slug])
    later = timezone.localtime() + timedelta(days=60)
    response = client.post(url, _phase_data(later, later + timedelta(days=3), actions=["propose"]))
    assert response.status_code == 302
    assert Phase.objects.get(name="Neue Phase").actions == ["propose"]

    first = town["phase"]
    bad = [
        (_phase_data(later + timedelta(days=10), later + timedelta(days=5)), "nach dem Beginn"),
        (
            _phase_data(timezone.localtime(first.start), timezone.localtime(first.end)),
            "überschneiden sich",
        ),
        ({**_phase_data(later, later), "start_date": "31.02.2027"}, "gültiges Datum"),
        (
            _phase_data(later + timedelta(days=90), later + timedelta(days=91), actions=["fly"]),
            "gültige Auswahl",
        ),
        (
            {
                **_phase_data(later + timedelta(days=90), later + timedelta(days=91)),
                "name": "<b>x</b>",
            },
            "Bitte ohne HTML",
        ),
    ]
    for data, message in bad:
        data["name"] = data.get("name", "Falsch")
        count = Phase.objects.count()
        response = client.post(url, data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
        assert Phase.objects.count() == count


def test_moving_a_phase_swaps_the_places_and_keeps_the_lengths(client, town):
    project = town["project"]
    first, second = project.ordered_phases()
    lengths = {first.pk: first.end - first.start, second.pk: second.end - second.start}
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_move", args=[project.slug, second.pk])
    assert client.post(url, {"richtung": "oben"}).status_code == 302
    project = Project.objects.get(pk=project.pk)
    moved = project.ordered_phases()
    assert [p.pk for p in moved] == [second.pk, first.pk]
    assert moved[0].start == first.start and moved[1].end == second.end
    assert all(p.end - p.start == lengths[p.pk] for p in moved)
    # Bad directions and the ends of the list give a message and change nothing.
    response = client.post(url, {"richtung": "seitwärts"}, follow=True)
    assert "nach oben" in response.content.decode()
    response = client.post(url, {"richtung": "oben"}, follow=True)
    assert "schon am Anfang" in response.content.decode()
    assert [p.pk for p in Project.objects.get(pk=project.pk).ordered_phases()] == [
        second.pk,
        first.pk,
    ]


def test_a_phase_that_has_begun_stays_in_place(client, town):
    project = town["project"]
    running = PhaseFactory(
        project=project,
        name="Läuft",
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() + timedelta(days=2),
    )
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_move", args=[project.slug, running.pk])
    response = client.post(url, {"richtung": "unten"}, follow=True)
    assert "hat schon begonnen" in response.content.decode()
    running.refresh_from_db()
    assert running.start < timezone.now()


def test_a_phase_with_a_survey_cannot_be_deleted(client, town):
    project, phase = town["project"], town["phase"]
    PollFactory(project=project, phase=phase, title="Umfrage zum Markt")
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_delete", args=[project.slug, phase.pk])
    response = client.post(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "kann nicht gelöscht werden" in content and "Umfrage zum Markt" in content
    assert Phase.objects.filter(pk=phase.pk).exists()
    other = project.ordered_phases()[1]
    assert (
        client.post(reverse("dashboard:phase_delete", args=[project.slug, other.pk])).status_code
        == 302
    )
    assert not Phase.objects.filter(pk=other.pk).exists()


def test_removing_an_action_with_contributions_from_the_running_phase_warns(client, town):
    from mitmachen.proposals.tests.factories import ProposalFactory

    project = town["project"]
    project.phases.all().delete()
    running = PhaseFactory(project=project, name="Läuft", actions=["propose", "comment"])
    ProposalFactory(project=project)
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_edit", args=[project.slug, running.pk])
    start, end = timezone.localtime(running.start), timezone.localtime(running.end)
    data = _phase_data(start, end, name="Läuft", actions=["comment"])
    data["start_time"], data["end_time"] = start.strftime("%H:%M"), end.strftime("%H:%M")
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "läuft gerade und erlaubt „Vorschläge einreichen“" in content
    running.refresh_from_db()
    assert running.actions == ["propose", "comment"]
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    running.refresh_from_db()
    assert running.actions == ["comment"]


def test_publishing_needs_a_phase_and_shows_on_the_public_page(
    client, town, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    project = town["project"]
    client.force_login(town["manager"])
    url = reverse("dashboard:project_visibility", args=[project.slug])
    response = client.post(url, {"visibility": "kaputt"})
    assert response.status_code == 200 and "gültige Auswahl" in response.content.decode()
    empty = ProjectFactory(organisation=town["home"], slug="leer", visibility=Visibility.DRAFT)
    empty.managers.add(town["manager"])
    response = client.post(
        reverse("dashboard:project_visibility", args=["leer"]), {"visibility": "public"}
    )
    assert "mindestens eine Phase" in response.content.decode()
    assert Project.objects.get(slug="leer").visibility == Visibility.DRAFT

    visitor = client.__class__()
    public_url = project.get_absolute_url()
    assert visitor.get(public_url).status_code == 404  # a draft
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"visibility": "public"}).status_code == 302
    assert visitor.get(public_url).status_code == 200
    visitor.get(public_url)  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:project_basics", args=[project.slug]),
            {**BASICS, "title": "Geänderter Titel", "slug": project.slug},
        )
    assert response.status_code == 302
    assert "Geänderter Titel" in visitor.get(public_url).content.decode()


def test_the_preview_is_the_residents_page_of_a_draft(client, town):
    client.force_login(town["manager"])
    response = client.get(reverse("dashboard:project_preview", args=[town["project"].slug]))
    content = response.content.decode()
    assert "Vorschau" in content and "Geleitet" in content and "Erste" in content
    assert "Entwurf (nur für Mitarbeitende)" not in content  # as it will be, published
    assert "Anmelden" in content  # drawn for a visitor who is not signed in


def test_my_projects_links_to_the_setup(client, town):
    client.force_login(town["manager"])
    content = client.get(reverse("dashboard:my_projects")).content.decode()
    setup_link = f'href="{reverse("dashboard:project_setup", args=["geleitet"])}"'
    assert setup_link in content
    assert reverse("dashboard:project_new") in content
    client.force_login(MembershipFactory(organisation=town["home"], role=Role.MODERATOR).user)
    content = client.get(reverse("dashboard:my_projects")).content.decode()
    assert reverse("dashboard:project_new") not in content
    assert setup_link not in content


def test_the_project_pages_edit_button_opens_the_setup(client, town):
    client.force_login(town["manager"])
    content = client.get(town["project"].get_absolute_url()).content.decode()
    assert f'href="{reverse("dashboard:project_setup", args=["geleitet"])}"' in content
    assert reverse("admin:projects_project_change", args=[town["project"].pk]) not in content


def test_every_phase_action_has_an_explanation():
    # ``PhaseAction.explanation``: shown beside the action's checkbox on the phase page.
    missing = [a.key for a in modules.phase_actions() if not str(a.explanation).strip()]
    assert not missing


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_setup_pages_run_the_same_queries_for_few_and_many_phases(client, town):
    project = town["project"]
    client.force_login(town["manager"])
    urls = [
        reverse("dashboard:project_setup", args=[project.slug]),
        reverse("dashboard:project_basics", args=[project.slug]),
        reverse("dashboard:phase_new", args=[project.slug]),
        reverse("dashboard:project_preview", args=[project.slug]),
    ]
    few = [_queries(client, url) for url in urls]
    start = timezone.now() + timedelta(days=100)
    for i in range(20):
        PhaseFactory(
            project=project,
            start=start + timedelta(days=2 * i),
            end=start + timedelta(days=2 * i + 1),
        )
        DistrictFactory(organisation=town["home"])
        TopicFactory()
    many = [_queries(client, url) for url in urls]
    assert few == many
    # The preview draws every module's sections, as the project page, and the site footer.
    assert max(many[:3]) <= 16
    assert many[3] <= 25


def test_new_dates_that_stop_the_running_phase_warn(client, town):
    project = town["project"]
    project.phases.all().delete()
    running = PhaseFactory(project=project, name="Läuft", actions=["comment"])
    client.force_login(town["manager"])
    url = reverse("dashboard:phase_edit", args=[project.slug, running.pk])
    later = timezone.localtime() + timedelta(days=5)
    data = _phase_data(later, later + timedelta(days=5), name="Läuft", actions=["comment"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mit den neuen Daten läuft sie jetzt nicht mehr" in response.content.decode()
    assert Phase.objects.get(pk=running.pk).start == running.start
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    assert Phase.objects.get(pk=running.pk).start > timezone.now()
