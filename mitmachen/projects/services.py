"""Writes for projects. Views, the admin and commands call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from mitmachen.projects.models import Follow, Project
from mitmachen.projects.permissions import can_follow_project


def project_follow(*, user: Any, project: Project) -> Follow:
    """Follow a project; following twice is harmless (one row, enforced by the database)."""
    if not can_follow_project(user, project):
        raise PermissionDenied
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(user=user, project=project)
    except IntegrityError:
        # A parallel request created it between our read and write.
        follow = Follow.objects.get(user=user, project=project)
    return follow


def project_unfollow(*, user: Any, project: Project) -> None:
    Follow.objects.filter(user=user, project=project).delete()
