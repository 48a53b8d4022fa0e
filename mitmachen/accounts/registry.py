"""Registry of personal-data exporters.

Every app that stores data about a person registers a function here (in its
``personal_data.py``), so "Meine Daten" stays complete as apps are added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
_exporters: dict[str, Exporter] = {}


def register(section: str) -> Callable[[Exporter], Exporter]:
    def decorator(func: Exporter) -> Exporter:
        if section in _exporters and _exporters[section] is not func:
            raise ValueError(f"Personal-data section {section!r} registered twice.")
        _exporters[section] = func
        return func

    return decorator


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))
