"""Staff start page and the organisation-scoped Django admin."""

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    home, other = OrganisationFactory(name="Heimatstadt"), OrganisationFactory(name="Nachbarort")
    led = ProjectFactory(organisation=home, title="Geleitet", visibility=Visibility.DRAFT)
    unled = ProjectFactory(organisation=home, title="Nicht geleitet")
    foreign = ProjectFactory(organisation=other, title="Fremd")
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    led.managers.add(manager)
    return {"home": home, "led": led, "unled": unled, "foreign": foreign, "manager": manager}


def test_my_projects_lists_own_organisation_only(client, setup):
    client.force_login(setup["manager"])
    content = client.get(reverse("dashboard:my_projects")).content.decode()
    assert "Geleitet" in content and "von mir geleitet" in content
    assert "Nicht geleitet" in content
    assert "Fremd" not in content


def test_my_projects_for_resident_explains_and_needs_login(client):
    assert client.get(reverse("dashboard:my_projects")).status_code == 302
    client.force_login(UserFactory())
    content = client.get(reverse("dashboard:my_projects")).content.decode()
    assert "keine Rolle in einer Kommune" in content


def test_admin_changelist_is_scoped(client, setup):
    client.force_login(setup["manager"])
    response = client.get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Geleitet" in content and "Nicht geleitet" in content and "Fremd" not in content


def test_project_manager_edits_only_projects_they_lead(client, setup):
    client.force_login(setup["manager"])
    led_url = reverse("admin:projects_project_change", args=[setup["led"].pk])
    unled_url = reverse("admin:projects_project_change", args=[setup["unled"].pk])
    foreign_url = reverse("admin:projects_project_change", args=[setup["foreign"].pk])
    assert 'name="_save"' in client.get(led_url).content.decode()
    # Same organisation, not led: visible read-only.
    unled = client.get(unled_url)
    assert unled.status_code == 200 and 'name="_save"' not in unled.content.decode()
    # Another organisation: not found for this person.
    assert client.get(foreign_url).status_code == 302


def test_moderator_cannot_change_projects(client, setup):
    moderator = MembershipFactory(organisation=setup["home"], role=Role.MODERATOR).user
    client.force_login(moderator)
    response = client.get(reverse("admin:projects_project_change", args=[setup["led"].pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.get(reverse("admin:projects_project_add")).status_code == 403


def test_resident_has_no_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_is_german(client, setup):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    content = client.get(reverse("admin:index")).content.decode()
    assert "Beteiligungsprozesse" in content and "Ortsteile" in content


def test_organisation_theme_css(client, setup):
    setup["home"].primary_color = "#1d4f8c"
    setup["home"].save()
    response = client.get(reverse("organisations:theme", args=[setup["home"].slug]))
    assert response["Content-Type"].startswith("text/css")
    assert response.content.decode() == ":root { --mm-accent: #1d4f8c; }\n"


def _project_form(organisation, phases, **extra):
    data = {
        "organisation": organisation.pk,
        "title": "Neuer Prozess",
        "slug": "neuer-prozess",
        "summary": "Kurz",
        "description": "",
        "image_alt": "",
        "visibility": "draft",
        "support_eligibility": "registered",
        "phases-TOTAL_FORMS": len(phases),
        "phases-INITIAL_FORMS": 0,
        "phases-MIN_NUM_FORMS": 0,
        "phases-MAX_NUM_FORMS": 1000,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "custom_statuses-TOTAL_FORMS": 0,
        "custom_statuses-INITIAL_FORMS": 0,
        "custom_statuses-MIN_NUM_FORMS": 0,
        "custom_statuses-MAX_NUM_FORMS": 1000,
    }
    for i, (name, start, end) in enumerate(phases):
        data.update(
            {
                f"phases-{i}-name": name,
                f"phases-{i}-description": "",
                f"phases-{i}-start_0": start,
                f"phases-{i}-start_1": "00:00:00",
                f"phases-{i}-end_0": end,
                f"phases-{i}-end_1": "00:00:00",
                f"phases-{i}-actions": ["comment"],
            }
        )
    data.update(extra)
    return data


def test_admin_rejects_overlapping_phases_in_one_submission(client, setup):
    from mitmachen.projects.models import Project

    client.force_login(setup["manager"])
    data = _project_form(
        setup["home"],
        [
            ("Ideen", "01.03.2027", "01.05.2027"),
            ("Entwurf", "15.04.2027", "01.06.2027"),
        ],
    )
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "Die Phasen „Ideen“ und „Entwurf“ überschneiden sich." in response.content.decode()
    assert not Project.objects.filter(slug="neuer-prozess").exists()

    data = _project_form(
        setup["home"],
        [
            ("Ideen", "01.03.2027", "01.05.2027"),
            ("Entwurf", "01.05.2027", "01.06.2027"),
        ],
    )
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302
    project = Project.objects.get(slug="neuer-prozess")
    assert project.phases.count() == 2
    assert setup["manager"] in project.managers.all()  # creator leads the project


def test_admin_image_upload_loses_exif(client, setup, settings, tmp_path):
    from PIL import Image

    from mitmachen.core.tests.test_images import jpeg_with_gps
    from mitmachen.projects.models import Project

    settings.MEDIA_ROOT = tmp_path
    client.force_login(setup["manager"])
    data = _project_form(setup["home"], [], image=jpeg_with_gps(), image_alt="Marktplatz")
    assert client.post(reverse("admin:projects_project_add"), data).status_code == 302
    project = Project.objects.get(slug="neuer-prozess")
    with Image.open(project.image.path) as stored:
        assert not stored.getexif()

    data = _project_form(setup["home"], [], slug="zweiter", image=jpeg_with_gps(), image_alt="")
    response = client.post(reverse("admin:projects_project_add"), data)
    assert "Bitte beschreiben Sie das Bild" in response.content.decode()
