"""Project states for the permission matrices of proposals and moderation."""

from datetime import timedelta

from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.tests.factories import OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

STATES = {
    # state: (visibility, phase offsets in days or None, actions)
    "before": (Visibility.PUBLIC, (3, 10), ["propose", "support"]),
    "proposing": (Visibility.PUBLIC, (-3, 10), ["propose"]),
    "supporting": (Visibility.PUBLIC, (-3, 10), ["support"]),
    "after": (Visibility.PUBLIC, (-10, -3), ["propose", "support"]),
    "draft": (Visibility.DRAFT, (-3, 10), ["propose", "support"]),
    "private": (Visibility.PRIVATE, (-3, 10), ["propose", "support"]),
}


def build(state):
    visibility, (start, end), actions = STATES[state]
    organisation = OrganisationFactory()
    project = ProjectFactory(organisation=organisation, visibility=visibility)
    now = timezone.now()
    PhaseFactory(
        project=project,
        actions=actions,
        start=now + timedelta(days=start),
        end=now + timedelta(days=end),
    )
    author = UserFactory()
    if visibility == Visibility.PRIVATE:
        ProjectMembership.objects.create(project=project, user=author)
    proposal = ProposalFactory(project=project, author=author)
    return project, proposal
