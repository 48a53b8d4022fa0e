"""Who may see, follow and run the measures catalogue.

- **view** (``measures.view_measure``): a published measure whose project (if it has
  one) the person may see; drafts only the municipality's staff (any role) and
  superusers (``Measure.objects.visible_to`` is the same rule for lists).
- **manage** (``measures.manage_measure``, asked of a measure or an organisation): the
  municipality's administrators and project managers, superusers. They post updates,
  change the status and turn proposals into measures; moderators of the municipality
  and staff of other municipalities may not.
- **follow** (``measures.follow_measure``): signed-in people who may see the measure.
- **import** (``measures.import_catalogue``, asked of an organisation): who manages its
  measures uploads a measure list and confirms its import.
- **from proposal** (``measures.measure_from_proposal``): who manages measures of the
  proposal's municipality, for an accepted proposal (or one already implemented).
- **from origin** (``measures.measure_from_origin``): the same for a contribution of
  another module (``projects.origins``): who manages measures of its municipality,
  when its module says it may become one (``OriginKind.ready``) and it is not hidden.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.measures.models import Measure
from mitmachen.organisations.models import Role
from mitmachen.projects.origins import kind_of
from mitmachen.projects.permissions import staff_roles
from mitmachen.proposals.models import ProposalStatus

MANAGING_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)
PROPOSAL_STATES = (ProposalStatus.ACCEPTED, ProposalStatus.IMPLEMENTED)


def _roles(user: Any) -> dict[int, set[str]]:
    """The person's roles per municipality (the per-request facts of ``projects``)."""
    return staff_roles(user)


def is_staff_of(user: Any, organisation_id: int) -> bool:
    return bool(getattr(user, "is_superuser", False) or _roles(user).get(organisation_id))


def manages_in(user: Any, organisation_id: int) -> bool:
    """May run the catalogue of the municipality ``organisation_id``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(_roles(user).get(organisation_id, set()) & set(MANAGING_ROLES))


def may_view(user: Any, measure: Measure) -> bool:
    if is_staff_of(user, measure.organisation_id):
        return True
    if not measure.published:
        return False
    return measure.project is None or rules.has_perm("projects.view_project", user, measure.project)


@rules.predicate
def _view(user: Any, measure: Measure | None) -> bool:
    return measure is not None and may_view(user, measure)


@rules.predicate
def _manage(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    organisation_id = obj.organisation_id if isinstance(obj, Measure) else obj.pk
    return manages_in(user, organisation_id)


rules.add_perm("measures.view_measure", _view)
rules.add_perm("measures.manage_measure", _manage)

add_rule(
    "measures.follow_measure",
    Rule(
        Check(
            lambda user, m: user.is_authenticated,
            _("Bitte melden Sie sich an, um einer Maßnahme zu folgen."),
        ),
        Check(lambda user, m: may_view(user, m), _("Dieser Maßnahme kann man nicht folgen.")),
    ),
)

add_rule(
    "measures.measure_from_proposal",
    Rule(
        Check(
            lambda user, p: manages_in(user, p.project.organisation_id),
            _("Nur die Verwaltung der Kommune kann aus Vorschlägen Maßnahmen machen."),
        ),
        Check(
            lambda user, p: p.status in PROPOSAL_STATES,
            _("Nur aus angenommenen Vorschlägen werden Maßnahmen."),
        ),
        Check(
            lambda user, p: not p.is_hidden,
            _("Dieser Vorschlag ist ausgeblendet."),
        ),
    ),
)


def _origin_organisation(row: Any) -> int | None:
    try:
        return kind_of(row).organisation_id(row)
    except TypeError:
        return None


def _origin_ready(row: Any) -> bool:
    try:
        return kind_of(row).is_ready(row)
    except TypeError:
        return False


add_rule(
    "measures.measure_from_origin",
    Rule(
        Check(
            lambda user, row: (
                (org := _origin_organisation(row)) is not None and manages_in(user, org)
            ),
            _("Nur die Verwaltung der Kommune kann daraus Maßnahmen machen."),
        ),
        Check(
            lambda user, row: _origin_ready(row),
            _("Daraus kann noch keine Maßnahme werden."),
        ),
        Check(
            lambda user, row: not getattr(row, "is_hidden", False),
            _("Dieser Beitrag ist ausgeblendet."),
        ),
    ),
)

add_rule(
    "measures.import_catalogue",
    Rule(
        Check(
            lambda user, organisation: manages_in(user, organisation.pk),
            _("Nur die Verwaltung der Kommune kann Maßnahmen importieren."),
        ),
    ),
)
