"""Who may export, share and import process templates (rules of ``core.permissions``).

- **export** (``processtemplates.export_template``, asked of a project): staff who may
  change the project (superusers, administrators of its municipality, its assigned
  project managers).
- **share / stop sharing** (``processtemplates.share_template`` of a project,
  ``processtemplates.unshare_template`` of a library entry): the same; an entry whose
  project is gone, the municipality's administrators.
- **import**: whoever may create projects in the chosen municipality
  (``projects.setup_services.organisations_for_new_projects``: administrators and project
  managers); the import service asks it, the page lists only those municipalities.
- **the library** is public: everyone reads it and downloads its files.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Role
from mitmachen.projects.permissions import staff_roles

SIGN_IN = _("Bitte melden Sie sich an.")
NOT_STAFF = _(
    "Nur die Verwaltung, die diesen Beteiligungsprozess betreut, kann ihn als Vorlage "
    "exportieren oder teilen."
)


def _changes(user: Any, project: Any) -> bool:
    return rules.has_perm("projects.change_project", user, project)


def _may_unshare(user: Any, shared: Any) -> bool:
    if shared.project_id is not None:
        return _changes(user, shared.project)
    return user.is_superuser or Role.ADMIN in staff_roles(user).get(shared.organisation_id, set())


_signed_in = Check(lambda user, obj: user.is_authenticated, SIGN_IN)

add_rule("processtemplates.export_template", Rule(_signed_in, Check(_changes, NOT_STAFF)))
add_rule("processtemplates.share_template", Rule(_signed_in, Check(_changes, NOT_STAFF)))
add_rule(
    "processtemplates.unshare_template",
    Rule(
        _signed_in,
        Check(
            _may_unshare,
            _("Nur die Verwaltung der Kommune, die den Prozess geteilt hat, kann ihn entfernen."),
        ),
    ),
)
