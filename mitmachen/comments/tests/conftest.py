import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401 - shared fixtures
from mitmachen.proposals.tests.factories import ProposalFactory


@pytest.fixture
def proposal(project):  # noqa: F811 - the imported fixture
    return ProposalFactory(project=project)


@pytest.fixture
def resident(db):
    return UserFactory()
