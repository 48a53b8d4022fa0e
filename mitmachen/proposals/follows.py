"""Followed proposals in "Meine Abonnements" (accounts registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mitmachen.core.registry import FollowedItem, FollowKind, register_follow_kind
from mitmachen.projects.models import Project
from mitmachen.proposals import services
from mitmachen.proposals.models import ProposalFollow


def _follows(user: Any) -> Any:
    return (
        ProposalFollow.objects.filter(user=user)
        .select_related("proposal__project")
        .order_by("-created_at", "-pk")
    )


def _shown(proposal: Any, visible_projects: set[int]) -> bool:
    # Hidden by moderation: no title here (it may be what was hidden).
    return proposal.project_id in visible_projects and proposal.hidden_at is None


def _describe(user: Any, rows: list[ProposalFollow]) -> list[FollowedItem]:
    visible = set(
        Project.objects.visible_to(user)
        .filter(pk__in={row.proposal.project_id for row in rows})
        .values_list("pk", flat=True)
    )
    items = []
    for row in rows:
        proposal = row.proposal
        shown = _shown(proposal, visible)
        items.append(
            FollowedItem(
                pk=proposal.pk,
                title=proposal.title if shown else "",
                url=proposal.get_absolute_url() if shown else "",
                context=proposal.project.title if shown else "",
                since=row.created_at,
            )
        )
    return items


def _unfollow(user: Any, pk: int) -> str | None:
    follow = (
        ProposalFollow.objects.filter(user=user, proposal_id=pk)
        .select_related("proposal__project")
        .first()
    )
    if follow is None or not services.proposal_unfollow(user=user, proposal=follow.proposal):
        return None
    visible = set(
        Project.objects.visible_to(user)
        .filter(pk=follow.proposal.project_id)
        .values_list("pk", flat=True)
    )
    return follow.proposal.title if _shown(follow.proposal, visible) else str(_("Vorschlag"))


register_follow_kind(
    FollowKind(
        key="vorschlag",
        heading=_("Vorschläge"),
        empty=_("Sie folgen keinem Vorschlag."),
        order=20,
        follows=_follows,
        describe=_describe,
        unfollow=_unfollow,
    )
)
