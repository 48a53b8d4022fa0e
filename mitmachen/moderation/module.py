"""Moderation as a module (``projects.modules``): blocks that keep a person from taking
part, the report and moderate links under every declared target's page (the section
``<key>.footer`` that its page draws, e.g. ``proposal.footer``), and the queue on the
staff page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.core import sections
from mitmachen.core.permissions import decide
from mitmachen.core.sections import Section
from mitmachen.moderation.models import (
    CONTENT_HIDDEN,
    CONTENT_RESTORED,
    REPORT_RESOLVED,
    Block,
    Report,
)
from mitmachen.projects import modules
from mitmachen.projects.modules import ModerationTarget, ParticipationModule
from mitmachen.projects.permissions import moderated_organisations, moderates


def blocks_of(user: Any) -> QuerySet[Block]:
    return Block.objects.filter(user=user)


def report_links(request: HttpRequest, target: Any) -> dict[str, Any] | None:
    """ "<Label> melden" and "Moderieren" under a contribution of a declared kind."""
    user = request.user
    declared = modules.moderation_target_of(target)
    can_report = user.is_authenticated and decide(user, "moderation.report", target).allowed
    can_moderate = moderates(user, target.project.organisation_id)
    if not (can_report or can_moderate):
        return None
    return {
        "label": declared.label,
        "css_class": f"{declared.key}__report",
        "report_url": reverse("moderation:report", args=[declared.slug, target.pk])
        if can_report
        else "",
        "moderate_url": reverse("moderation:decide", args=[declared.staff_slug, target.pk])
        if can_moderate
        else "",
        "report_count": target.report_count,
    }


def add_links_section(target: ModerationTarget) -> None:
    """The links go to the footer of the target's own page, ``<key>.footer``, if its page
    draws that section (proposals and debates do)."""
    sections.register(
        Section(
            f"{target.key}.footer", "moderation", "moderation/sections/links.html", report_links
        )
    )


def queue_button(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    """The way to the moderation queue with the number of open reports, for moderators."""
    user = request.user
    if user.is_superuser:
        reports = Report.objects.filter(resolved_at__isnull=True)
    else:
        moderated = moderated_organisations(user)
        if not moderated:
            return None
        reports = Report.objects.filter(resolved_at__isnull=True, organisation__in=moderated)
    return {"open_reports": reports.count()}


MODULE = ParticipationModule(
    label="moderation",
    urls="mitmachen.moderation.urls",
    sections=(
        Section(
            "dashboard.tools", "moderation", "moderation/sections/queue_button.html", queue_button
        ),
    ),
    blocks=blocks_of,
    # The hidden state lives on the contributions; moderation.services changes it with
    # conditional updates and calls modules.changed() for each.
    not_on_public_pages=(
        # Reports and their counts show only to moderators (staff pages, never cached).
        "moderation.Report",
        # A block keeps a person from taking part; the contributions it hides are changed
        # by moderation.services (with modules.changed()), not by the row.
        "moderation.Block",
        # The audit log: staff pages only.
        "moderation.ModerationAction",
    ),
    notification_kinds=(
        (CONTENT_HIDDEN, _("Beitrag ausgeblendet")),
        (CONTENT_RESTORED, _("Beitrag wieder sichtbar")),
        (REPORT_RESOLVED, _("Meldung bearbeitet")),
    ),
)
