"""Contribution of the notifications app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from mitmachen.core.registry import register
from mitmachen.notifications.models import Notification


@register("benachrichtigungen")
def export_notifications(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "art": n.get_kind_display(),
            "titel": n.display_title,
            "text": n.text,
            "link": f"{settings.SITE_URL}{n.url}",
            "erhalten_am": n.created_at.isoformat(),
            "gelesen_am": n.read_at.isoformat() if n.read_at else None,
        }
        for n in Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("created_at", "pk")
    ]
