from datetime import timedelta

import pytest
from django.utils import timezone

from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory, square
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory


@pytest.fixture
def region(db):
    """A municipality with two Ortsteile side by side (12.00–12.02 E, 52.00–52.01 N)."""
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
    """A project whose current phase allows proposing, supporting and commenting."""
    project = ProjectFactory(organisation=region["organisation"], slug="zukunft")
    project.districts.set([region["west"], region["east"]])
    project.topics.add(TopicFactory(slug="mobilitaet"))
    PhaseFactory(project=project, actions=["propose", "support", "comment"])
    return project


def set_phase(project, actions, *, running=True):
    """Replace the project's phases by one with ``actions`` (running now, or past)."""
    project.phases.all().delete()
    now = timezone.now()
    if running:
        PhaseFactory(
            project=project,
            actions=actions,
            start=now - timedelta(days=1),
            end=now + timedelta(days=10),
        )
    else:
        PhaseFactory(
            project=project,
            actions=actions,
            start=now - timedelta(days=10),
            end=now - timedelta(days=1),
        )
    # Drop prefetched phases so project.allows() sees the change.
    project.__dict__.pop("_prefetched_objects_cache", None)
