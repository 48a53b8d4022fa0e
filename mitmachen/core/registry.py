"""Registries the account pages iterate ("Meine Daten", "Meine Abonnements"), filled by the apps.

Every app that stores data about a person registers a function here (in its
``personal_data.py``), so "Meine Daten" stays complete as apps are added. An app
that keeps rows about a person beyond the account's cascade (a copy of the name in
a log, for example) also registers an eraser, which ``account_delete`` runs before
the account row goes. Every app whose things can be followed registers a
``FollowKind`` (in its ``follows.py``) for "Meine Abonnements".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]
_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register(section: str) -> Callable[[Exporter], Exporter]:
    def decorator(func: Exporter) -> Exporter:
        if section in _exporters and _exporters[section] is not func:
            raise ValueError(f"Personal-data section {section!r} registered twice.")
        _exporters[section] = func
        return func

    return decorator


def register_eraser(name: str) -> Callable[[Eraser], Eraser]:
    """Register ``func(user)``: removes what the app keeps about ``user`` outside the cascade.

    Runs inside the deletion transaction, while the account row still exists.
    """

    def decorator(func: Eraser) -> Eraser:
        if name in _erasers and _erasers[name] is not func:
            raise ValueError(f"Personal-data eraser {name!r} registered twice.")
        _erasers[name] = func
        return func

    return decorator


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def erasers() -> dict[str, Eraser]:
    return dict(sorted(_erasers.items()))


# --- What a person follows ("Meine Abonnements") ------------------------------------------
# Apps above accounts (projects, proposals, …) declare in their ``follows.py`` what can be
# followed; the accounts page lists and ends follows through these, never importing them.


@dataclass(frozen=True)
class FollowedItem:
    """One followed thing as the list shows it. ``title`` and ``url`` are empty when the
    person may no longer see it (made private, hidden by moderation); they can still
    stop following it."""

    pk: int
    title: str
    url: str
    context: str
    since: datetime


@dataclass(frozen=True)
class FollowKind:
    """``follows(user)``: the person's follow rows, newest first (a QuerySet, paginated by
    the page). ``describe(user, rows)``: the items for one page in at most one further
    query. ``unfollow(user, pk)``: end the follow through the app's service; the title
    (or a neutral name) when it existed, None when the person did not follow ``pk``."""

    key: str
    heading: Any
    empty: Any
    order: int
    follows: Callable[[Any], Any]
    describe: Callable[[Any, list[Any]], list[FollowedItem]]
    unfollow: Callable[[Any, int], str | None]


_follow_kinds: dict[str, FollowKind] = {}


def register_follow_kind(kind: FollowKind) -> FollowKind:
    if kind.key in _follow_kinds and _follow_kinds[kind.key] != kind:
        raise ValueError(f"Follow kind {kind.key!r} registered twice.")
    _follow_kinds[kind.key] = kind
    return kind


def follow_kinds() -> list[FollowKind]:
    return sorted(_follow_kinds.values(), key=lambda kind: kind.order)
