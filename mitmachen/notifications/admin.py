from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mitmachen.core import person_cache
from mitmachen.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Operators (superusers) look into notifications here, e.g. when a person asks why one came.

    Notifications are private messages to one person, so municipality staff do not see
    them. Read-only: they are written by ``services.notify``; deleting one is allowed.
    """

    list_display = ["display_title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["recipient", "actor"]
    search_fields = ["title", "recipient__email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "recipient",
        "kind",
        "display_title",
        "text",
        "url",
        "read_at",
        "created_at",
        "updated_at",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    # Deleting changes the recipients' unread counts, kept in their cached entries
    # (``core.person_cache``; ``services`` renews them for new and read notifications).
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        person_cache.touch_on_commit([obj.recipient_id])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        person_cache.touch_on_commit(queryset.values_list("recipient_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
