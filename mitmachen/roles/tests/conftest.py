"""A municipality with one person of each role, a neighbour, and a project led by one
project manager (``projects.tests.staff_matrix``)."""

from __future__ import annotations

import pytest

from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.staff_matrix import led_project, staff_people


@pytest.fixture
def town(db):
    town = led_project(title="Geleitet", visibility=Visibility.PUBLIC)
    home, other = town["home"], town["other"]
    return {
        **town,
        "foreign_project": town["foreign"],
        "people": staff_people(home, other, town["manager"]),
        # People whose roles the tests change.
        "mod_target": MembershipFactory(organisation=home, role=Role.MODERATOR).user,
        "admin_target": MembershipFactory(organisation=home, role=Role.ADMIN).user,
        "pm_target": MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user,
        "other_pm": MembershipFactory(organisation=other, role=Role.PROJECT_MANAGER).user,
    }
