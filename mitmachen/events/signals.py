"""The events module's part of ``projects.contributions``: it offers the events for the
offline entry forms, records the chosen one, and drops a link when its contribution is
deleted – by its module's service, the admin, an account's deletion or a cascade. Deleting
a project drops its contributions' links in one query per kind before its rows go
(``pre_delete`` of ``Project``), instead of one per row (as moderation does with its
reports)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, pre_delete

from mitmachen.events.services.contributions import event_options, forget, forget_project, record
from mitmachen.organisations.models import Organisation
from mitmachen.projects import contributions
from mitmachen.projects.models import Project


def _with_project(origin: Any) -> bool:
    """Deleted in a cascade from a project or a municipality (handled per project)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in (Project, Organisation)


def _deleted(
    kind: contributions.CollectedKind, sender: Any, instance: Any, origin: Any = None, **_: Any
) -> None:
    if not _with_project(origin):
        forget(kind, instance)


def _connect(kind: contributions.CollectedKind) -> None:
    post_delete.connect(
        partial(_deleted, kind),
        sender=kind.model_class,
        weak=False,
        dispatch_uid=f"events-contribution-{kind.key}",
    )


def _project_deleting(sender: Any, instance: Project, **_: Any) -> None:
    forget_project(instance)


def connect() -> None:
    """Called once from ``EventsConfig.ready``."""
    contributions.link_with(options=event_options, recorder=record)
    contributions.each(_connect)
    pre_delete.connect(_project_deleting, sender=Project, dispatch_uid="events-project")
