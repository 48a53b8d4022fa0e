import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.measures.tests.factories import GoalFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401


@pytest.fixture
def organisation(region):  # noqa: F811 - the imported fixture
    return region["organisation"]


@pytest.fixture
def goal(organisation):
    return GoalFactory(field__organisation=organisation, title="Marktplatz beleben")


@pytest.fixture
def admin(organisation):
    return MembershipFactory(organisation=organisation, role=Role.ADMIN).user


@pytest.fixture
def manager(organisation):
    return MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user


@pytest.fixture
def moderator(organisation):
    return MembershipFactory(organisation=organisation, role=Role.MODERATOR).user


@pytest.fixture
def stranger_staff(db):
    """An administrator of another municipality."""
    return MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Renate")


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True)


@pytest.fixture
def fresh():
    """A fresh copy of a user: permission caches live on the user object per request."""
    from django.contrib.auth import get_user_model

    return lambda user: get_user_model().objects.get(pk=user.pk)
