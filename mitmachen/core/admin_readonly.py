"""Admin pages that only show: the writes go through the services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Put first in the bases of a ``ModelAdmin`` or an inline: nobody adds, changes or
    deletes rows on its pages, not even the operator; who may look stays with the other
    bases (``has_view_permission``, e.g. the organisation or project scoping).

    For rows whose writes keep counters, a log, a status history or notifications that an
    admin form would skip."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
