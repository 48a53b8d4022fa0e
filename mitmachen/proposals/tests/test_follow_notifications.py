"""Followers of a project hear about official responses to its proposals."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mitmachen.accounts.models import FollowMail
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.services import project_follow
from mitmachen.proposals.models import Proposal, ProposalStatus
from mitmachen.proposals.services import proposal_follow, status_set
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


def notes(person):
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def respond(admin, proposal, capture):
    with capture(execute=True):
        status_set(
            user=admin, proposal=proposal, status=ProposalStatus.ACCEPTED, response="Wird gebaut."
        )


def test_followers_of_the_project_hear_the_response_once(
    project, admin, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(project=project, title="Bänke am Markt")
    person = UserFactory(follow_mail=FollowMail.IMMEDIATE)
    double = UserFactory()  # follows project and proposal
    for follower in (person, double, proposal.author, admin):
        project_follow(user=follower, project=project)
    proposal_follow(user=double, proposal=proposal)

    respond(admin, proposal, django_capture_on_commit_callbacks)

    note = Notification.objects.get(recipient=person)
    assert note.kind == "status_changed"
    assert "Bänke am Markt" in note.title and note.text == "Wird gebaut."
    assert note.url == proposal.get_absolute_url()
    assert notes(double) == ["status_changed"]
    assert notes(proposal.author) == ["status_changed"]
    assert notes(admin) == []
    assert person.email in [m.to[0] for m in mailoutbox]


def test_a_hidden_proposal_is_told_only_to_staff(
    project, admin, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(project=project)
    Proposal.objects.filter(pk=proposal.pk).update(hidden_at=timezone.now())
    proposal.refresh_from_db()
    resident = UserFactory()
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    for follower in (resident, moderator):
        project_follow(user=follower, project=project)

    respond(admin, proposal, django_capture_on_commit_callbacks)

    assert notes(resident) == []
    assert notes(moderator) == ["status_changed"]
