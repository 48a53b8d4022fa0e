"""Proposals as a participation module (``projects.modules``): declared once, in ``apps``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.sections import Section
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
    PhaseAction,
    SetupPage,
)
from mitmachen.projects.permissions import can_take_part
from mitmachen.proposals import council_report, setup_views
from mitmachen.proposals import statistics as proposals_statistics
from mitmachen.proposals.admin import CustomStatusInline
from mitmachen.proposals.collected import COLLECTED
from mitmachen.proposals.models import PROPOSE, QUORUM_REACHED, STATUS_CHANGED, SUPPORT
from mitmachen.proposals.process_template import TEMPLATE_PART


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The panel shows when a phase takes proposals or supports, or when there are some."""
    has_phase = any({PROPOSE, SUPPORT} & set(p.actions) for p in project.ordered_phases())
    count = project.proposals.not_hidden().count()
    if not (has_phase or count):
        return None
    return {
        "proposal_count": count,
        "can_propose": can_take_part(request.user, PROPOSE, project),
    }


MODERATION_TARGET = ModerationTarget(
    model="proposals.Proposal",
    key="proposal",
    slug="vorschlag",
    staff_slug="vorschlaege",
    label=_("Vorschlag"),
    label_plural=_("Vorschläge"),
    gender=Gender.MASCULINE,
    subject=lambda p: gettext("Vorschlag „%(title)s“") % {"title": p.title[:150]},
    yours=lambda p: gettext("Ihr Vorschlag „%(title)s“") % {"title": p.title},
    headline=lambda p: str(p.title),
    template="proposals/moderation/target.html",
    select_related=("project__organisation", "author", "district"),
    lock_order=20,
)


MODULE = ParticipationModule(
    label="proposals",
    collected_offline=(COLLECTED,),
    urls="mitmachen.proposals.urls",
    phase_actions=(
        PhaseAction(
            PROPOSE,
            _("Vorschläge einreichen"),
            order=20,
            explanation=_(
                "Teilnehmende reichen eigene Vorschläge ein, auf Wunsch mit Ort auf der Karte."
            ),
        ),
        PhaseAction(
            SUPPORT,
            _("Vorschläge unterstützen"),
            order=30,
            explanation=_(
                "Teilnehmende unterstützen Vorschläge anderer; das zählt für das Quorum."
            ),
        ),
    ),
    sections=(
        Section("project", "proposals", "proposals/sections/project.html", project_section, 20),
    ),
    page_cache=(
        CachedModel("proposals.Proposal"),
        CachedModel("proposals.ProposalImage", "proposal.project_id"),
        CachedModel("proposals.ProposalAttachment", "proposal.project_id"),
        # A support changes its proposal's count: its page and the project's lists, map
        # and statistics (``page_of``), not the other proposals' pages or the surveys.
        CachedModel("proposals.Support", "proposal.project_id", page_of="proposal"),
        CachedModel("proposals.ProposalStatusChange", "proposal.project_id"),
        # A project's own statuses: its filter and the labels of its proposals.
        CachedModel("proposals.CustomStatus"),
    ),
    not_on_public_pages=(
        # Who follows a proposal shows only to that person (signed in: never cached).
        "proposals.ProposalFollow",
    ),
    project_admin_inlines=(CustomStatusInline,),
    notification_kinds=(
        (STATUS_CHANGED, _("Statusänderung")),
        (QUORUM_REACHED, _("Quorum erreicht")),
    ),
    moderation_targets=(MODERATION_TARGET,),
    statistics=proposals_statistics.statistics,
    # How supports count (quorum, who may support), in the project set-up (setup_views).
    setup_pages=(
        SetupPage(
            "proposals", _("Vorschläge"), "proposals/setup/part.html", setup_views.setup_part, 30
        ),
    ),
    template=TEMPLATE_PART,
    report=council_report.report,
)
