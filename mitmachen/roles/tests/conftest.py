"""A municipality with one person of each role, a neighbour, and a project led by one
project manager."""

from __future__ import annotations

import pytest

from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.projects.tests.staff_matrix import staff_people


@pytest.fixture
def town(db):
    home = OrganisationFactory(name="Heimatstadt", slug="heimatstadt")
    other = OrganisationFactory(name="Nachbarort", slug="nachbarort")
    project = ProjectFactory(organisation=home, title="Geleitet", slug="geleitet")
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    return {
        "home": home,
        "other": other,
        "project": project,
        "foreign_project": ProjectFactory(organisation=other, slug="fremd"),
        "people": staff_people(home, other, manager),
        # People whose roles the tests change.
        "mod_target": MembershipFactory(organisation=home, role=Role.MODERATOR).user,
        "admin_target": MembershipFactory(organisation=home, role=Role.ADMIN).user,
        "pm_target": MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user,
        "other_pm": MembershipFactory(organisation=other, role=Role.PROJECT_MANAGER).user,
    }
