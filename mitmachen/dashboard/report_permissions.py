"""Who makes and downloads a project's council report (``report_views``), as a rule with
German reasons (``core.permissions``): the same people as the project's statistics – the
superuser, the municipality's administration and the project's assigned project manager
(who may change the project). Moderators do not: they look after contributions."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.dashboard.permissions import _is_staff_of

add_rule(
    "dashboard.council_report",
    Rule(
        Check(
            lambda user, project: user.is_authenticated,
            _("Bitte melden Sie sich an, um den Bericht für den Gemeinderat zu erstellen."),
        ),
        Check(
            lambda user, project: _is_staff_of(user, project.organisation_id),
            _(
                "Den Bericht für den Gemeinderat erstellen nur Mitarbeitende der Kommune, "
                "die den Prozess durchführt."
            ),
        ),
        Check(
            lambda user, project: rules.has_perm("projects.change_project", user, project),
            _(
                "Den Bericht für den Gemeinderat erstellen die Administration der Kommune "
                "und die Projektleitung dieses Prozesses."
            ),
        ),
    ),
)
