"""Reads for moderation that views and services share (no writes here)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mitmachen.organisations.models import Organisation
from mitmachen.projects import modules
from mitmachen.projects.modules import ModerationTarget


def contributions_of(
    organisation: Organisation, user: Any
) -> list[tuple[ModerationTarget, QuerySet[Any]]]:
    """The person's contributions in the municipality's projects: per declared target,
    its rows (a queryset), in the targets' lock order (``ModerationTarget.lock_order``)."""
    return [(t, t.of_author(organisation, user)) for t in modules.moderation_targets()]
