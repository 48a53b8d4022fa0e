"""Who may work on a municipality's climate data (``climate.manage_data``, asked of the
municipality): superusers, and the municipality's administrators and project managers.
Moderators and residents read the data like everybody else; reading needs no permission
(unpublished indicators only show to those who may manage them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.permissions import staff_roles

DATA_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


def is_signed_in(user: Any, organisation: Organisation) -> bool:
    return bool(user.is_authenticated)


def works_on_data(user: Any, organisation: Organisation) -> bool:
    if user.is_superuser:
        return True
    return bool(staff_roles(user).get(organisation.pk, set()) & set(DATA_ROLES))


add_rule(
    "climate.manage_data",
    Rule(
        Check(is_signed_in, _("Bitte melden Sie sich an.")),
        Check(
            works_on_data,
            _("Klimadaten pflegen nur die Administration und die Projektleitungen der Kommune."),
        ),
    ),
)
