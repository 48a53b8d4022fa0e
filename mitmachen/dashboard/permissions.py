"""Who sees the staff statistics (``statistics_views``), as rules with German reasons
(``core.permissions``).

A project's statistics: the superuser, the municipality's administration and the
project's assigned project manager – who may change the project (``projects.change_project``).
A municipality's statistics: the superuser and the municipality's administration. Moderators
see neither: they look after contributions, not after the running of processes.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Role
from mitmachen.projects.permissions import staff_roles

SIGN_IN = _("Bitte melden Sie sich an, um Statistiken zu sehen.")


def _is_staff_of(user: Any, organisation_id: int) -> bool:
    return user.is_superuser or bool(staff_roles(user).get(organisation_id))


def _is_admin_of(user: Any, organisation_id: int) -> bool:
    return user.is_superuser or Role.ADMIN in staff_roles(user).get(organisation_id, set())


add_rule(
    "dashboard.view_project_statistics",
    Rule(
        Check(lambda user, project: user.is_authenticated, SIGN_IN),
        Check(
            lambda user, project: _is_staff_of(user, project.organisation_id),
            _("Statistiken sehen nur Mitarbeitende der Kommune, die den Prozess durchführt."),
        ),
        Check(
            lambda user, project: rules.has_perm("projects.change_project", user, project),
            _(
                "Die Statistik eines Beteiligungsprozesses sehen die Administration der "
                "Kommune und die Projektleitung dieses Prozesses."
            ),
        ),
    ),
)

add_rule(
    "dashboard.view_municipality_statistics",
    Rule(
        Check(lambda user, organisation: user.is_authenticated, SIGN_IN),
        Check(
            lambda user, organisation: _is_staff_of(user, organisation.pk),
            _("Statistiken sehen nur Mitarbeitende dieser Kommune."),
        ),
        Check(
            lambda user, organisation: _is_admin_of(user, organisation.pk),
            _("Die Statistik der ganzen Kommune sieht ihre Administration."),
        ),
    ),
)
