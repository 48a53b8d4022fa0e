"""Read-only admin views for operators. Decisions are taken in the moderation pages,
which call the services (so counters, notifications and the log stay consistent)."""

from __future__ import annotations

from django.contrib import admin

from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.moderation.models import Block, ModerationAction, Report
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin


class ReadOnlyAdmin(ReadOnlyAdminMixin, OrganisationScopedAdmin, admin.ModelAdmin):
    pass


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organisation", "project", "reason", "created_at", "resolution"]
    list_filter = ["target_kind", "reason", "resolution", "organisation"]
    list_select_related = ["organisation", "project"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "reason", "created_at"]
    list_filter = ["organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject", "moderator", "organisation"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["moderator", "organisation"]
    date_hierarchy = "created_at"
