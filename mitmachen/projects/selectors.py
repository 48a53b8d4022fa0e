"""Reusable reads of projects for the views of projects and the modules above it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from mitmachen.projects.models import Project


def visible_project_or_404(
    user: Any, slug: str, *, prefetch: Sequence[str] = ("phases", "partner_organisations")
) -> Project:
    """The project ``slug`` if ``user`` may see it; Http404 otherwise.

    Unknown and invisible projects look the same from outside. ``prefetch`` names what
    the calling page reads, so each page loads its project in a fixed number of queries.
    """
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related(*prefetch), slug=slug
    )
    if not user.has_perm("projects.view_project", project):
        raise Http404
    return project
