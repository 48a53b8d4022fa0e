from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mitmachen.core.admin_mixins import OrganisationScopedAdmin
from mitmachen.organisations.models import Role
from mitmachen.proposals.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff read proposals here; status changes and responses get their own workflow."""

    organisation_path = "project__organisation"
    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    list_display = ["title", "project", "status", "channel", "support_count", "created_at"]
    list_filter = ["status", "channel", "project"]
    search_fields = ["title", "text"]
    readonly_fields = ["support_count", "quorum_reached_at", "created_at", "updated_at"]
    raw_id_fields = ["author", "entered_by"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Proposals are created through the services (online form, offline entry).
        return False
