"""A deleted contribution takes its reports with it; its log entries stay, readable.

Reports and log entries name their target by (kind, id), with no foreign key to the
modules' tables (see ``moderation.models``), so the database cannot cascade: this
connects the deletion of every declared target's rows (``projects.modules.
each_moderation_target``) to ``services.target_deleted``. Deleting a project deletes
its reports through ``Report.project``; its log entries lose their ids in one update
per kind before the project's rows go (``project_deleting``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, pre_delete

from mitmachen.organisations.models import Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Project


def _with_project(origin: Any) -> bool:
    """Deleted in a cascade from a project or a municipality (handled per project)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in (Project, Organisation)


def _row_deleted(key: str, sender: Any, instance: Any = None, origin: Any = None, **_: Any) -> None:
    if _with_project(origin):
        return
    from mitmachen.moderation import services

    services.target_deleted(kind=key, target_id=instance.pk)


def _connect(target: modules.ModerationTarget) -> None:
    post_delete.connect(
        partial(_row_deleted, target.key),
        sender=target.model_class,
        weak=False,
        dispatch_uid=f"moderation-target-deleted-{target.key}",
    )


def _project_deleting(sender: Any, instance: Project, **_: Any) -> None:
    from mitmachen.moderation import services

    services.project_targets_deleting(project=instance)


def connect() -> None:
    modules.each_moderation_target(_connect)
    pre_delete.connect(_project_deleting, sender=Project, dispatch_uid="moderation-project")
