""" "Meine Daten" shows what the roles app keeps about a person; deleting the account
leaves nothing in it that identifies them (the log keeps the change, not the person)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.roles import services
from mitmachen.roles.models import Invitation, RoleChange

pytestmark = pytest.mark.django_db

MARKER = "quendolinx"


def _link(token: str) -> str:
    return f"https://example.org/{token}/"


def test_export_and_deletion(town):
    home, admin = town["home"], town["people"]["admin_own"]
    person = UserFactory(email=f"{MARKER}@example.org", display_name=f"Renate {MARKER}")
    # Invited under a second address of theirs that has no account, then given roles; as
    # a project manager they invite someone themselves.
    services.staff_invite(
        actor=admin,
        organisation=home,
        email=f"{MARKER}.alt@example.org",
        role=Role.MODERATOR,
        link=_link,
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=f"{MARKER}.alt@example.org", verified=True)
    services.role_set(actor=admin, organisation=home, person=person, role=Role.PROJECT_MANAGER)
    services.project_manager_add(actor=admin, project=town["project"], person=person)
    services.staff_invite(
        actor=person,
        organisation=home,
        email="gast@example.org",
        role=Role.MODERATOR,
        link=_link,
    )

    data = personal_data_export(user=person)
    changes = data["rollenaenderungen"]
    assert [c["aenderung"] for c in changes] == [
        "eingeladen",
        "Rolle vergeben",
        "Projektleitung übertragen",
        "eingeladen",
    ]
    assert changes[-1]["von_ihnen"] and not changes[-1]["betrifft_sie"]
    invitations = data["einladungen_zur_mitarbeit"]
    assert {i["adresse"] for i in invitations} == {f"{MARKER}.alt@example.org", "gast@example.org"}

    entries = RoleChange.objects.count()
    account_delete(user=person)
    assert RoleChange.objects.count() == entries  # the log keeps every change …
    out = io.StringIO()
    call_command("dumpdata", "roles", stdout=out)
    assert MARKER not in out.getvalue().lower()  # … but nothing that names the person
    assert not Invitation.objects.filter(email__contains=MARKER).exists()
    assert Invitation.objects.get(email="gast@example.org").invited_by is None
