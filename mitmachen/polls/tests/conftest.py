import pytest

from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    square,
)
from mitmachen.polls.tests.factories import PollFactory, every_kind
from mitmachen.projects.tests.factories import ProjectFactory


@pytest.fixture
def region(db):
    organisation = OrganisationFactory(slug="belzig")
    west = DistrictFactory(
        organisation=organisation, name="West", slug="west", geometry=square(12.0, 52.0)
    )
    east = DistrictFactory(
        organisation=organisation, name="Ost", slug="ost", geometry=square(12.01, 52.0)
    )
    return {"organisation": organisation, "west": west, "east": east}


@pytest.fixture
def project(region):
    project = ProjectFactory(organisation=region["organisation"], slug="innenstadt")
    project.districts.set([region["west"], region["east"]])
    return project


@pytest.fixture
def poll(project):
    return PollFactory(project=project, title="Vitale Innenstadt")


@pytest.fixture
def questions(poll):
    return every_kind(poll)


@pytest.fixture
def staff(region):
    membership = MembershipFactory(organisation=region["organisation"], role=Role.ADMIN)
    return membership.user


@pytest.fixture
def second_staff(region):
    membership = MembershipFactory(organisation=region["organisation"], role=Role.ADMIN)
    return membership.user
