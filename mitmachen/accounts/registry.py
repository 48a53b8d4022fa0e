"""Registry of personal-data exporters and erasers.

Every app that stores data about a person registers a function here (in its
``personal_data.py``), so "Meine Daten" stays complete as apps are added. An app
that keeps rows about a person beyond the account's cascade (a copy of the name in
a log, for example) also registers an eraser, which ``account_delete`` runs before
the account row goes.
"""

from __future__ import annotations

from collections.abc import Callable
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
