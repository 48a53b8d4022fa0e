"""Time-based events that followers of a project hear about, checked every few minutes.

Some events have no request that causes them: a phase starts, a published survey opens
with its phase, a survey's results become public when it ends. ``manage.py
notify_project_followers`` announces new phases itself and then runs every check the
modules above projects registered here (e.g. polls in its ``apps.ready``), so projects
never imports them. A check takes the current time, announces what became due through
``services.project_followers_notify`` exactly once (a guarded ``UPDATE … WHERE
marker IS NULL``), and returns how many things it announced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Check = Callable[[datetime], int]
_checks: dict[str, Check] = {}


def register_follow_check(name: str) -> Callable[[Check], Check]:
    def decorator(func: Check) -> Check:
        if name in _checks and _checks[name] is not func:
            raise ValueError(f"Follow check {name!r} registered twice.")
        _checks[name] = func
        return func

    return decorator


def follow_checks() -> dict[str, Check]:
    return dict(sorted(_checks.items()))


@dataclass(frozen=True)
class DigestKind:
    """Notifications of ``kind`` that reach people who follow something other than a
    project (a measure) go into their weekly summary too (``FollowDigestItem``, written
    by the module that sends them, with its project or none).

    ``keep(user, urls)``: of the notifications' addresses ``urls``, those the person still
    follows and may see (one query, however many). Such entries need no project the
    person follows; ``heading`` names the group of those without a project.
    """

    kind: str
    keep: Callable[[Any, set[str]], set[str]]
    heading: Any


_digest_kinds: dict[str, DigestKind] = {}


def register_digest_kind(digest_kind: DigestKind) -> DigestKind:
    """Called by the module whose followers the weekly summary should reach (measures)."""
    known = _digest_kinds.get(digest_kind.kind)
    if known is not None and known != digest_kind:
        raise ValueError(f"Digest kind {digest_kind.kind!r} registered twice.")
    _digest_kinds[digest_kind.kind] = digest_kind
    return digest_kind


def digest_kinds() -> dict[str, DigestKind]:
    return dict(_digest_kinds)
