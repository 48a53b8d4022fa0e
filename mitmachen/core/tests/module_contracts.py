"""What each participation module adds to the platform-wide contract tests.

A module may put a ``tests/contract.py`` beside its tests with any of these functions.
The shared tests find them through the module registry (``projects.modules``), so a new
module adds its rows to them without editing them:

- ``deletion_seed(seed: DeletionSeed) -> set[tuple[str, str]]`` – for
  ``accounts/tests/test_deletion.py``: store what the module keeps about ``seed.person``,
  through its services, with ``seed.marker`` in every field that identifies the person
  and ``seed.content`` in what they wrote. Returns the (table, column) pairs where
  ``seed.content`` may stay after the account is deleted (the contribution itself).
  The module may make its own project in ``seed.organisation`` with the phases it needs.
- ``admin_scope_objects(town, project) -> list[Model]`` – for
  ``core/tests/admin_scope.py``: rows of every model the module shows in the admin that
  belong to ``project`` of ``town`` (a ``Municipality``: organisation, staff, Ortsteile,
  a resident). ``admin_scope_town_objects(town)`` for rows that belong to the
  municipality only. The admin scoping tests then check that no staff member of the
  other municipality sees or chooses them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps

from mitmachen.projects import modules


@dataclass
class DeletionSeed:
    person: Any
    organisation: Any
    district: Any  # the person's Ortsteil
    other: Any  # another resident
    moderator: Any
    marker: str
    content: str


def contract_hooks(name: str) -> list[Callable[..., Any]]:
    """The function ``name`` of every registered module's ``tests/contract.py``."""
    found = []
    for module in modules.registered():
        path = f"{apps.get_app_config(module.label).name}.tests.contract"
        try:
            contract = import_module(path)
        except ModuleNotFoundError as error:
            if error.name != path:
                raise
            continue
        hook = getattr(contract, name, None)
        if hook is not None:
            found.append(hook)
    return found
