"""Contribution of the moderation app to "Meine Daten": the person's own reports and blocks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from mitmachen.accounts.models import DELETED_ACCOUNT_NAME
from mitmachen.core.registry import register, register_eraser
from mitmachen.moderation.models import ActionKind, Block, ModerationAction, Report
from mitmachen.projects import modules


def _reported(report: Report) -> str:
    """ "Vorschlag 12": the declared kind's German noun and the id."""
    label: Any = report.target_kind
    if report.target_kind in modules.moderation_keys():
        with translation.override(settings.LANGUAGE_CODE):
            label = str(modules.moderation_target(report.target_kind).label)
    return f"{label} {report.target_id}"


@register("meldungen")
def export_reports(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "gemeldet": _reported(r),
            "grund": r.get_reason_display(),
            "erlaeuterung": r.text,
            "am": r.created_at.isoformat(),
            "ergebnis": r.get_resolution_display() or "offen",
        }
        for r in Report.objects.filter(reporter=user)
    ]


@register("sperrungen")
def export_blocks(user: Any) -> list[dict[str, Any]]:
    return [
        {"kommune": b.organisation.name, "begruendung": b.reason, "seit": b.created_at.isoformat()}
        for b in Block.objects.filter(user=user).select_related("organisation")
    ]


@register_eraser("moderationsprotokoll")
def erase_log_names(user: Any) -> None:
    """The audit log stays, but entries about the account no longer carry its name."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Konto „%(name)s“") % {"name": DELETED_ACCOUNT_NAME}
    # Blocks name the account; hide/restore entries name the contribution (of any
    # declared kind), which stays without the person, as its copy in the log does.
    ModerationAction.objects.filter(
        target_user=user, kind__in=[ActionKind.BLOCK, ActionKind.UNBLOCK]
    ).update(subject=subject)
