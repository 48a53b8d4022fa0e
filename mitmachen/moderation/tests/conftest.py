import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401 - shared fixtures
from mitmachen.proposals.tests.factories import ProposalFactory


@pytest.fixture
def author(db):
    return UserFactory(display_name="Autorin")


@pytest.fixture
def proposal(project, author):  # noqa: F811 - the imported fixture
    return ProposalFactory(project=project, author=author, title="Billige Uhren kaufen")


@pytest.fixture
def comment(project, proposal):  # noqa: F811
    return comment_create(
        author=UserFactory(), project=project, proposal=proposal, text="Jetzt klicken!"
    )


@pytest.fixture
def moderator(region):  # noqa: F811
    return MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user


@pytest.fixture
def fresh():
    """A fresh copy of a user: permission caches live on the user object per request."""
    from django.contrib.auth import get_user_model

    return lambda user: get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def moderation_at_0002(transactional_db):
    """The database with moderation's schema before reports and log entries named their
    target by (kind, id) – migration 0002 – and its historical models (``apps``); the
    latest schema again afterwards. Only moderation's own migrations move."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("moderation", "0002_debate_target")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("moderation")
    executor.migrate(before)
    executor.loader.build_graph()
    try:
        yield executor.loader.project_state(before[0]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
