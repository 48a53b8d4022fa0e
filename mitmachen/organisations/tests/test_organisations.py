import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from mitmachen.organisations.models import AccessibilityFeedback, Role, contrast_ratio
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_contrast_ratio():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)


def test_light_colour_is_rejected_in_german():
    organisation = OrganisationFactory.build(primary_color="#ffff00")
    with pytest.raises(ValidationError) as info:
        organisation.full_clean()
    assert "zu hell" in str(info.value)


def test_only_one_operator():
    OrganisationFactory(is_operator=True)
    with pytest.raises(IntegrityError):
        OrganisationFactory(is_operator=True)


def test_membership_makes_staff_and_removal_revokes():
    membership = MembershipFactory(role=Role.MODERATOR)
    user = membership.user
    user.refresh_from_db()
    assert user.is_staff
    membership.delete()
    user.refresh_from_db()
    assert not user.is_staff


class TestPages:
    def test_organisation_page_lists_visible_projects_and_districts(self, client, organisation):
        district = DistrictFactory(organisation=organisation, name="Lütte")
        public = ProjectFactory(organisation=organisation, title="Öffentlich")
        PhaseFactory(project=public)
        draft = ProjectFactory(
            organisation=organisation, title="Geheimer Entwurf", visibility=Visibility.DRAFT
        )
        PhaseFactory(project=draft)
        response = client.get(organisation.get_absolute_url())
        content = response.content.decode()
        assert response.status_code == 200
        assert "Öffentlich" in content
        assert "Geheimer Entwurf" not in content
        assert district.get_absolute_url() in content

    def test_partner_organisation_shows_shared_project(self, client, organisation):
        partner = OrganisationFactory()
        project = ProjectFactory(organisation=organisation, title="Gemeinsam")
        project.partner_organisations.add(partner)
        PhaseFactory(project=project)
        assert "Gemeinsam" in client.get(partner.get_absolute_url()).content.decode()

    def test_district_page(self, client, organisation):
        district = DistrictFactory(organisation=organisation, name="Ragösen")
        project = ProjectFactory(organisation=organisation, title="Dorfplatz Ragösen")
        project.districts.add(district)
        response = client.get(district.get_absolute_url())
        assert response.status_code == 200
        assert "Dorfplatz Ragösen" in response.content.decode()
        assert 'id="district-map"' in response.content.decode()

    @pytest.mark.parametrize(
        "url",
        [
            "/kommunen/gibt-es-nicht/",
            "/kommunen/gibt-es-nicht/ortsteile/x/",
            "/kommunen/gibt-es-nicht/impressum/",
        ],
    )
    def test_unknown_slugs_give_german_404(self, client, organisation, url):
        response = client.get(url)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.content.decode()

    def test_district_of_other_organisation_is_404(self, client, organisation):
        district = DistrictFactory()
        url = f"/kommunen/{organisation.slug}/ortsteile/{district.slug}/"
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        ("url", "text"),
        [
            ("/impressum/", "Impressum der Gemeinde"),
            ("/datenschutz/", "Datenschutz der Gemeinde"),
            ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
        ],
    )
    def test_operator_legal_pages(self, client, organisation, url, text):
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()

    def test_municipality_legal_page_and_unknown_page(self, client, organisation):
        assert client.get(f"/kommunen/{organisation.slug}/datenschutz/").status_code == 200
        assert client.get(f"/kommunen/{organisation.slug}/agb/").status_code == 404
        assert client.post("/impressum/").status_code == 405


class TestAccessibilityFeedback:
    def test_valid_feedback_is_stored_and_mailed_to_admins(
        self, client, organisation, django_capture_on_commit_callbacks
    ):
        admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
        MembershipFactory(organisation=organisation, role=Role.MODERATOR)
        organisation.contact_email = "rathaus@example.org"
        organisation.save()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("organisations:accessibility"),
                {
                    "message": "Der Kontrast der Karte ist zu schwach.",
                    "page_url": "/",
                    "name": "",
                    "email": "leser@example.org",
                },
                follow=True,
            )
        assert "Vielen Dank" in response.content.decode()
        feedback = AccessibilityFeedback.objects.get()
        assert feedback.organisation == organisation
        assert feedback.email == "leser@example.org"
        assert len(mail.outbox) == 1
        assert sorted(mail.outbox[0].to) == sorted([admin.email, "rathaus@example.org"])
        assert "Kontrast der Karte" in mail.outbox[0].body

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"message": ""}, "Dieses Feld ist zwingend erforderlich."),
            ({"message": "x" * 5001}, "höchstens 5000 Zeichen"),
            ({"message": "Hallo", "email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ],
    )
    def test_invalid_feedback_shows_german_error_and_stores_nothing(
        self, client, organisation, data, message
    ):
        response = client.post(reverse("organisations:accessibility"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not AccessibilityFeedback.objects.exists()
        assert not mail.outbox


@pytest.mark.django_db
def test_municipality_admin_opens_and_saves_their_organisation_in_the_admin(client):
    # The slug is read-only for them; the admin used to ask to pre-fill it and failed (500).
    membership = MembershipFactory(role=Role.ADMIN)
    organisation = membership.organisation
    client.force_login(membership.user)
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="slug"' not in response.content.decode()
