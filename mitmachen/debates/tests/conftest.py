import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.debates.services import debate_create
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import project, region, set_phase  # noqa: F401


@pytest.fixture
def debating(project):  # noqa: F811 - the imported fixture
    """The project, its current phase allowing residents to open debates and to comment."""
    set_phase(project, ["debate", "comment"])
    return project


@pytest.fixture
def manager(project):  # noqa: F811
    """A project manager assigned to the project (may change it)."""
    user = MembershipFactory(
        organisation=project.organisation, role=Role.PROJECT_MANAGER, user__display_name="Paula"
    ).user
    project.managers.add(user)
    return user


@pytest.fixture
def moderator(project):  # noqa: F811
    return MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Renate")


@pytest.fixture
def debate(project, manager):  # noqa: F811
    return debate_create(
        author=manager,
        project=project,
        question="Soll die Brandenburger Straße autofrei werden?",
        description="Die Stadt fragt: **Fußgängerzone** oder nicht?",
    )


@pytest.fixture
def fresh():
    """A fresh copy of a user: permission caches live on the user object per request."""
    from django.contrib.auth import get_user_model

    return lambda user: get_user_model().objects.get(pk=user.pk)
