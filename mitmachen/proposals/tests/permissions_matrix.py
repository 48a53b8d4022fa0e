"""Project states for the permission matrices of proposals and moderation."""

from datetime import timedelta

from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.tests.factories import OrganisationFactory
from mitmachen.projects.models import Action, ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

STATES = {
    # state: (visibility, phase offsets in days or None, actions)
    "before": (Visibility.PUBLIC, (3, 10), [Action.PROPOSE, Action.SUPPORT]),
    "proposing": (Visibility.PUBLIC, (-3, 10), [Action.PROPOSE]),
    "supporting": (Visibility.PUBLIC, (-3, 10), [Action.SUPPORT]),
    "after": (Visibility.PUBLIC, (-10, -3), [Action.PROPOSE, Action.SUPPORT]),
    "draft": (Visibility.DRAFT, (-3, 10), [Action.PROPOSE, Action.SUPPORT]),
    "private": (Visibility.PRIVATE, (-3, 10), [Action.PROPOSE, Action.SUPPORT]),
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
