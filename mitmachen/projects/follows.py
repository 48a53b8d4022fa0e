"""Followed projects in "Meine Abonnements" (accounts registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mitmachen.core.registry import FollowedItem, FollowKind, register_follow_kind
from mitmachen.projects import services
from mitmachen.projects.models import Follow, Project


def _follows(user: Any) -> Any:
    return (
        Follow.objects.filter(user=user)
        .select_related("project__organisation")
        .order_by("-created_at", "-pk")
    )


def _describe(user: Any, rows: list[Follow]) -> list[FollowedItem]:
    visible = set(
        Project.objects.visible_to(user)
        .filter(pk__in=[row.project_id for row in rows])
        .values_list("pk", flat=True)
    )
    items = []
    for row in rows:
        project = row.project
        shown = project.pk in visible
        items.append(
            FollowedItem(
                pk=project.pk,
                title=project.title if shown else "",
                url=project.get_absolute_url() if shown else "",
                context=project.organisation.display_name if shown else "",
                since=row.created_at,
            )
        )
    return items


def _unfollow(user: Any, pk: int) -> str | None:
    follow = Follow.objects.filter(user=user, project_id=pk).select_related("project").first()
    if follow is None:
        return None
    services.project_unfollow(user=user, project=follow.project)
    visible = Project.objects.visible_to(user).filter(pk=pk).exists()
    return follow.project.title if visible else str(_("Beteiligungsprozess"))


register_follow_kind(
    FollowKind(
        key="projekt",
        heading=_("Beteiligungsprozesse"),
        empty=_("Sie folgen keinem Beteiligungsprozess."),
        order=10,
        follows=_follows,
        describe=_describe,
        unfollow=_unfollow,
    )
)
