"""Who may propose, support, edit and withdraw (django-rules, phase-aware)."""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.projects.models import Project, SupportEligibility
from mitmachen.projects.permissions import blocked_organisations, can_take_part
from mitmachen.proposals.models import PROPOSE, SUPPORT, Proposal


def eligible_to_support(user: Any, project: Project) -> bool:
    """The project's rule for who may support (registered / verified / residents)."""
    if not user.is_authenticated:
        return False
    rule = project.support_eligibility
    if rule == SupportEligibility.VERIFIED:
        return bool(user.is_verified_resident)
    if rule == SupportEligibility.RESIDENTS:
        if user.home_district_id is None:
            return False
        districts = {d.pk for d in project.districts.all()}
        if districts:
            return user.home_district_id in districts
        organisations = {o.pk for o in project.all_organisations()}
        return user.home_district.organisation_id in organisations
    return True


@rules.predicate
def is_author(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_withdrawn(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_withdrawn


@rules.predicate
def is_hidden(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_hidden


@rules.predicate
def has_no_reactions(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.support_count == 0 and proposal.comment_count == 0


@rules.predicate
def may_view_project(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and rules.has_perm("projects.view_project", user, proposal.project)


rules.add_perm("proposals.view_proposal", may_view_project)


def _eligibility_refusal(user: Any, proposal: Proposal) -> str:
    return gettext("In diesem Beteiligungsprozess können unterstützen: %(who)s.") % {
        "who": proposal.project.get_support_eligibility_display()
    }


# Supporting: the checks in the order a person reads their reason (core.permissions).
add_rule(
    "proposals.support_proposal",
    Rule(
        Check(
            lambda user, p: user.is_authenticated,
            _("Bitte melden Sie sich an, um Vorschläge zu unterstützen."),
        ),
        Check(lambda user, p: not p.is_withdrawn, _("Der Vorschlag wurde zurückgezogen.")),
        Check(
            lambda user, p: not p.is_hidden,
            _("Der Vorschlag wurde von der Moderation ausgeblendet."),
        ),
        Check(
            lambda user, p: p.project.organisation_id not in blocked_organisations(user),
            _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."),
        ),
        Check(
            lambda user, p: p.author_id != user.pk,
            _("Eigene Vorschläge können Sie nicht unterstützen."),
        ),
        Check(
            lambda user, p: can_take_part(user, SUPPORT, p.project),
            _("In dieser Phase sind keine Unterstützungen möglich."),
        ),
        Check(lambda user, p: eligible_to_support(user, p.project), _eligibility_refusal),
    ),
)
rules.add_perm(
    "proposals.change_proposal",
    is_author & ~is_withdrawn & ~is_hidden & has_no_reactions & may_view_project,
)
# Following needs an account and a visible proposal (hidden ones cannot be followed).
rules.add_perm("proposals.follow_proposal", rules.is_authenticated & may_view_project & ~is_hidden)
rules.add_perm(
    "proposals.withdraw_proposal", is_author & ~is_withdrawn & ~is_hidden & may_view_project
)


@rules.predicate
def manages_project(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and user.has_perm("projects.change_project", proposal.project)


# Staff who run the project set the status and answer publicly.
rules.add_perm("proposals.respond_proposal", manages_project)


def can_propose(user: Any, project: Project) -> bool:
    return can_take_part(user, PROPOSE, project)


def can(user: Any, permission: str, proposal: Proposal) -> bool:
    """Ask the rules registry directly (superusers follow the phase rules too)."""
    return rules.has_perm(f"proposals.{permission}_proposal", user, proposal)
