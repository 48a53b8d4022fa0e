import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401


@pytest.fixture
def organiser(region):  # noqa: F811 - the imported fixture
    """A project manager of the municipality (plans events, sees the attendees)."""
    return MembershipFactory(organisation=region["organisation"], role=Role.PROJECT_MANAGER).user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Renate")


@pytest.fixture
def event(region, project):  # noqa: F811
    """A published workshop in Ortsteil West a week from now, 3 places, registration on."""
    return EventFactory(
        organisation=region["organisation"],
        district=region["west"],
        projects=[project],
        title="Werkstatt Marktplatz",
        registration_enabled=True,
        capacity=3,
    )


@pytest.fixture
def fresh():
    """A fresh copy of a user: permission caches live on the user object per request."""
    from django.contrib.auth import get_user_model

    return lambda user: get_user_model().objects.get(pk=user.pk)
