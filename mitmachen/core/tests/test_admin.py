"""The admin site: its login page, and links only where the person may go."""

import logging
import re

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_admin_login_page_works_when_logged_out(client):
    # The module list used to ask the scoped admins about an anonymous person's roles
    # (TypeError: Field 'id' expected a number but got AnonymousUser).
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_admin_logout_page_works_when_logged_out(client):
    assert client.post(reverse("admin:logout"), follow=True).status_code == 200


def test_403_is_logged_once_without_traceback(client, caplog, settings):
    manager = MembershipFactory(role=Role.PROJECT_MANAGER).user
    client.force_login(manager)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("admin:accounts_user_change", args=[manager.pk]))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.getMessage().startswith("Forbidden")]
    assert len(records) == 1
    text = caplog.handler.format(records[0])
    assert "Traceback" not in text and records[0].exc_info is None
    # Not passed on to Django's own "django" handlers (a second copy under DEBUG).
    assert settings.LOGGING["loggers"]["django.request"]["propagate"] is False


def _user_admin_links(content: str) -> list[str]:
    return re.findall(r'href="(/admin/accounts/user/[^"]*)"', content)


def test_project_manager_sees_no_link_to_the_user_admin(client):
    # Audit: a read-only invitation linked to /admin/accounts/user/<id>/change/ (403).
    home = OrganisationFactory()
    project = ProjectFactory(organisation=home, visibility=Visibility.PRIVATE)
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    invited = UserFactory(display_name="Eingeladene Person")
    ProjectMembership.objects.create(project=project, user=invited)
    client.force_login(manager)
    response = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert str(invited) in content  # still shown, as text
    assert _user_admin_links(content) == []


def test_staff_see_no_user_links_on_proposals_and_comments(client):
    home = OrganisationFactory()
    project = ProjectFactory(organisation=home)
    PhaseFactory(project=project, actions=["comment"])
    author = UserFactory(display_name="Verfasserin")
    proposal = ProposalFactory(project=project, author=author)
    comment = comment_create(author=author, project=project, proposal=proposal, text="Hallo")
    admin_user = MembershipFactory(organisation=home, role=Role.ADMIN).user
    client.force_login(admin_user)
    for url in (
        reverse("admin:proposals_proposal_change", args=[proposal.pk]),
        reverse("admin:comments_comment_change", args=[comment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Verfasserin" in content
        assert _user_admin_links(content) == []


def test_superuser_keeps_the_links(client):
    project = ProjectFactory()
    invited = UserFactory()
    ProjectMembership.objects.create(project=project, user=invited)
    proposal = ProposalFactory(project=project, author=invited)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    content = client.get(
        reverse("admin:proposals_proposal_change", args=[proposal.pk])
    ).content.decode()
    assert f"/admin/accounts/user/{invited.pk}/change/" in content
