"""Inviting residents into a private project, and the contact person on the basics."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.invitation_services import invitation_token
from mitmachen.projects.models import Project, ProjectInvitation, ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.projects.tests.staff_matrix import MAY_CHANGE, assert_matrix, staff_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    home, other = OrganisationFactory(name="Heimatstadt"), OrganisationFactory(name="Nachbarort")
    project = ProjectFactory(
        organisation=home, title="Geschlossener Kreis", slug="kreis", visibility=Visibility.PRIVATE
    )
    PhaseFactory(project=project, actions=["comment"])
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    return {"home": home, "other": other, "project": project, "manager": manager}


def _confirmed(email):
    return UserFactory(email=email)  # with a confirmed primary address


def _people(town):
    return staff_people(town["home"], town["other"], town["manager"])


def test_permission_matrix(client, town):
    project = town["project"]
    for who, person in _people(town).items():
        membership = ProjectMembership.objects.create(project=project, user=UserFactory())
        invitation = ProjectInvitation.objects.create(project=project, email=f"{who}@example.org")
        pages = [
            ("GET", reverse("dashboard:project_invitations", args=["kreis"]), {}),
            (
                "POST",
                reverse("dashboard:project_invitations", args=["kreis"]),
                {"emails": f"neu-{who}@example.org"},
            ),
            ("POST", reverse("dashboard:membership_remove", args=["kreis", membership.pk]), {}),
            ("POST", reverse("dashboard:invitation_revoke", args=["kreis", invitation.pk]), {}),
        ]
        assert_matrix(client, {who: person}, pages)
        allowed = who in MAY_CHANGE
        assert ProjectMembership.objects.filter(pk=membership.pk).exists() is not allowed
        assert ProjectInvitation.objects.filter(pk=invitation.pk).exists() is not allowed
        assert ProjectInvitation.objects.filter(email=f"neu-{who}@example.org").exists() is allowed


def test_another_projects_rows_cannot_be_removed_through_this_one(client, town):
    foreign = ProjectFactory(organisation=town["other"], slug="fremd")
    membership = ProjectMembership.objects.create(project=foreign, user=UserFactory())
    invitation = ProjectInvitation.objects.create(project=foreign, email="x@example.org")
    client.force_login(town["manager"])
    assert (
        client.post(
            reverse("dashboard:membership_remove", args=["kreis", membership.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("dashboard:invitation_revoke", args=["kreis", invitation.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("dashboard:project_invitations", args=["fremd"])).status_code == 403
    assert ProjectMembership.objects.filter(pk=membership.pk).exists()
    assert ProjectInvitation.objects.filter(pk=invitation.pk).exists()


def test_a_confirmed_account_is_in_at_once_and_a_new_address_after_confirming(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    project = town["project"]
    known = _confirmed("bekannt@example.org")
    # An account that has not confirmed the address gets no access by it.
    unconfirmed = UserFactory(email="unbestaetigt@example.org", verified=False)
    EmailAddress.objects.create(user=unconfirmed, email="unbestaetigt@example.org", verified=False)
    client.force_login(town["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:project_invitations", args=["kreis"]),
            {"emails": "Bekannt@Example.org, neu@example.org\nunbestaetigt@example.org\n"},
            follow=True,
        )
    content = response.content.decode()
    assert "sofort dabei (Konto vorhanden): bekannt@example.org" in content
    assert "neu@example.org, unbestaetigt@example.org" in content
    assert list(project.members.all()) == [known]
    assert sorted(project.invitations.values_list("email", flat=True)) == [
        "neu@example.org",
        "unbestaetigt@example.org",
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "bekannt@example.org",
        "neu@example.org",
        "unbestaetigt@example.org",
    ]
    mail = next(m for m in mailoutbox if m.to == ["neu@example.org"])
    assert "Geschlossener Kreis" in mail.subject and "Legen Sie" in mail.body
    link = re.search(r"http://\S+/projekte/einladung/\S+/", mail.body).group(0)
    path = "/" + link.split("/", 3)[3]
    # Inviting again sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:project_invitations", args=["kreis"]),
            {"emails": "neu@example.org"},
            follow=True,
        )
    assert "Schon eingeladen (keine neue E-Mail): neu@example.org" in response.content.decode()
    assert len(mailoutbox) == 3

    # The link: anonymous visitors are led to sign up or log in, and back.
    client.logout()
    page = client.get(path).content.decode()
    assert "Konto anlegen" in page and f"?next={quote(path)}" in page
    assert client.get(project.get_absolute_url()).status_code == 404
    # Someone signed in with another address learns what to do.
    client.force_login(UserFactory(email="anders@example.org"))
    other_page = client.get(path).content.decode()
    assert "gilt für eine andere Adresse" in other_page
    # Signing up alone gives no access (no login before confirming); confirming does.
    newcomer = UserFactory(email="neu@example.org")
    EmailAddress.objects.filter(user=newcomer).update(verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    assert not ProjectMembership.objects.filter(project=project, user=newcomer).exists()
    address.verified = True
    address.save()
    from allauth.account.signals import email_confirmed

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert ProjectMembership.objects.filter(project=project, user=newcomer).exists()
    assert not ProjectInvitation.objects.filter(email="neu@example.org").exists()
    client.force_login(newcomer)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert client.get(project.get_absolute_url()).status_code == 200


def test_a_withdrawn_or_forged_invitation_leads_nowhere(client, town):
    project = town["project"]
    invitation = ProjectInvitation.objects.create(project=project, email="weg@example.org")
    token = invitation_token(project, "weg@example.org")
    assert client.get(reverse("projects:invitation", args=[token])).status_code == 200
    invitation.delete()
    response = client.get(reverse("projects:invitation", args=[token]))
    assert (
        response.status_code == 404
        and "Diese Einladung gilt nicht mehr" in response.content.decode()
    )
    assert "Geschlossener Kreis" not in response.content.decode()
    forged = client.get(reverse("projects:invitation", args=[token[:-3] + "abc"]))
    assert forged.status_code == 404


@pytest.mark.parametrize(
    "emails, message",
    [
        ("", "Dieses Feld ist zwingend erforderlich"),
        ("keine-adresse", "keine gültigen E-Mail-Adressen: keine-adresse"),
        ("a@example.org, <script>@x", "keine gültigen E-Mail-Adressen"),
        (",".join(f"p{i}@example.org" for i in range(51)), "höchstens 50 Personen"),
        ("x" * 30_000, "höchstens 20000 Zeichen"),
    ],
)
def test_bad_addresses_give_a_german_message_and_store_nothing(
    client, town, emails, message, mailoutbox
):
    client.force_login(town["manager"])
    response = client.post(
        reverse("dashboard:project_invitations", args=["kreis"]), {"emails": emails}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and "Bitte prüfen Sie Ihre Eingaben." in content, content[:3000]
    assert not ProjectInvitation.objects.exists() and not ProjectMembership.objects.exists()
    assert mailoutbox == []


def test_the_invitation_page_has_bounded_queries(client, town):
    client.force_login(town["manager"])
    url = reverse("dashboard:project_invitations", args=["kreis"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    ProjectMembership.objects.create(project=town["project"], user=UserFactory())
    ProjectInvitation.objects.create(project=town["project"], email="a@example.org")
    small = count()
    for i in range(20):
        ProjectMembership.objects.create(project=town["project"], user=UserFactory())
        ProjectInvitation.objects.create(project=town["project"], email=f"p{i}@example.org")
    assert count() == small


# --- the contact person -------------------------------------------------------------------


def test_the_contact_person_is_set_in_the_basics_and_shown_on_the_project_page(client, town):
    project = ProjectFactory(organisation=town["home"], slug="offen", visibility=Visibility.PUBLIC)
    project.managers.add(town["manager"])
    client.force_login(town["manager"])
    url = reverse("dashboard:project_basics", args=["offen"])
    data = {
        "title": project.title,
        "slug": "offen",
        "summary": "Kurz.",
        "contact_name": "Frau Meier, Bauamt",
        "contact_phone": "+49 3381 / 58-0",
        "contact_email": "meier@example.org",
    }
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.contact_name, project.contact_phone, project.contact_email) == (
        "Frau Meier, Bauamt",
        "+49 3381 / 58-0",
        "meier@example.org",
    )
    client.logout()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Ihre Ansprechperson" in page and "Frau Meier, Bauamt" in page
    assert 'href="tel:+493381580"' in page and 'href="mailto:meier@example.org"' in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"contact_phone": "ruf mich an"}, "Bitte nur Ziffern"),
        ({"contact_email": "kein-at"}, "gültige E-Mail-Adresse"),
        ({"contact_name": "<b>Meier</b>"}, "Bitte ohne HTML"),
        ({"contact_name": "x" * 500}, "höchstens 120 Zeichen"),
    ],
)
def test_a_bad_contact_is_refused_in_german(client, town, changes, message):
    client.force_login(town["manager"])
    project = town["project"]
    data = {"title": project.title, "slug": "kreis", "summary": "Kurz.", **changes}
    response = client.post(reverse("dashboard:project_basics", args=["kreis"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    project.refresh_from_db()
    assert (project.contact_name, project.contact_phone, project.contact_email) == ("", "", "")
    assert Project.objects.get(pk=project.pk).summary == project.summary
