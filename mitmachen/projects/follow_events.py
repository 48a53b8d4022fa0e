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
from datetime import datetime

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
