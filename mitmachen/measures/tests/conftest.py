import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.measures.tests.factories import GoalFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401


@pytest.fixture(autouse=True)
def _default_statuses(request):
    """The default statuses come from a data migration (0002); a transactional test that
    ran earlier on the same worker emptied the tables afterwards. Every test here finds
    them, as every real database has them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction", False)
    )
    if marker is None and not transactional and "db" not in request.fixturenames:
        return  # a test without the database
    request.getfixturevalue("transactional_db" if transactional else "db")
    from mitmachen.measures.models import DEFAULT_STATUSES
    from mitmachen.measures.services import default_status

    for _name, kind, _reason, _order in DEFAULT_STATUSES:
        default_status(kind)


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
