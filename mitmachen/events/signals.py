"""The events module's part of ``projects.contributions``: it offers the events for the
offline entry forms, records the chosen one, and drops a link when its contribution is
deleted (by its module's service, the admin, a cascade from a project or an account)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models.signals import post_delete

from mitmachen.events.services.contributions import event_options, forget, record
from mitmachen.projects import contributions


def _deleted(kind: contributions.CollectedKind, sender: Any, instance: Any, **kwargs: Any) -> None:
    forget(kind, instance)


def _connect(kind: contributions.CollectedKind) -> None:
    post_delete.connect(
        partial(_deleted, kind),
        sender=kind.model_class,
        weak=False,
        dispatch_uid=f"events-contribution-{kind.key}",
    )


def connect() -> None:
    """Called once from ``EventsConfig.ready``."""
    contributions.link_with(options=event_options, recorder=record)
    contributions.each(_connect)
