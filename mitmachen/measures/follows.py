"""Followed measures in "Meine Abonnements" (accounts registry), and in the weekly
summary of those who chose it (``projects.follow_events.DigestKind``): a measure's
updates and status changes reach who follows only the measure, not its project."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mitmachen.core.registry import FollowedItem, FollowKind, register_follow_kind
from mitmachen.measures import services
from mitmachen.measures.models import MEASURE_UPDATED, Measure, MeasureFollow
from mitmachen.projects.follow_events import DigestKind, register_digest_kind


def _follows(user: Any) -> Any:
    return (
        MeasureFollow.objects.filter(user=user)
        .select_related("measure__organisation")
        .order_by("-created_at", "-pk")
    )


def _describe(user: Any, rows: list[MeasureFollow]) -> list[FollowedItem]:
    visible = set(
        Measure.objects.visible_to(user)
        .filter(pk__in={row.measure_id for row in rows})
        .values_list("pk", flat=True)
    )
    items = []
    for row in rows:
        shown = row.measure_id in visible
        items.append(
            FollowedItem(
                pk=row.measure_id,
                title=row.measure.title if shown else "",
                url=row.measure.get_absolute_url() if shown else "",
                context=row.measure.organisation.display_name if shown else "",
                since=row.created_at,
            )
        )
    return items


def _unfollow(user: Any, pk: int) -> str | None:
    follow = (
        MeasureFollow.objects.filter(user=user, measure_id=pk).select_related("measure").first()
    )
    if follow is None or not services.measure_unfollow(user=user, measure=follow.measure):
        return None
    if Measure.objects.visible_to(user).filter(pk=pk).exists():
        return follow.measure.title
    return str(_("Maßnahme"))


register_follow_kind(
    FollowKind(
        key="massnahme",
        heading=_("Maßnahmen"),
        empty=_("Sie folgen keiner Maßnahme."),
        order=40,
        follows=_follows,
        describe=_describe,
        unfollow=_unfollow,
    )
)


def _still_followed(user: Any, urls: set[str]) -> set[str]:
    """Of the measures' addresses ``urls``, those of measures the person still follows
    and may see (one query)."""
    followed = Measure.objects.visible_to(user).filter(follows__user=user).only("pk")
    return {measure.get_absolute_url() for measure in followed} & urls


register_digest_kind(
    DigestKind(
        kind=MEASURE_UPDATED,
        keep=_still_followed,
        heading=_("Maßnahmen, denen Sie folgen"),
    )
)
