"""Reads for moderation that views and services share (no writes here)."""

from __future__ import annotations

from typing import Any

from mitmachen.comments.models import Comment
from mitmachen.debates.models import Debate
from mitmachen.organisations.models import Organisation
from mitmachen.proposals.models import Proposal


def contributions_of(organisation: Organisation, user: Any) -> tuple[Any, Any]:
    """The person's proposals and comments in the municipality's projects (querysets)."""
    proposals = Proposal.objects.filter(project__organisation=organisation, author=user)
    comments = Comment.objects.filter(project__organisation=organisation, author=user)
    return proposals, comments


def debates_of(organisation: Organisation, user: Any) -> Any:
    """The debates the person opened in the municipality's projects (a queryset)."""
    return Debate.objects.filter(project__organisation=organisation, author=user)
