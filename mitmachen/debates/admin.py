from __future__ import annotations

from django.contrib import admin

from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.debates.models import Debate
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin
from mitmachen.organisations.models import Role


@admin.register(Debate)
class DebateAdmin(ReadOnlyAdminMixin, OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff find the debates of their municipality's projects here.

    Read-only on purpose: debates are opened, changed, closed (with the conclusion and
    the notifications) and hidden through the services, from the debate's own pages;
    a change here would bypass the counters, the notifications and the moderation log.
    Deleting would take every comment with it; moderation hides instead (logged).
    """

    organisation_path = "project__organisation"
    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    list_display = [
        "question",
        "project",
        "opened_by_staff",
        "comment_count",
        "for_count",
        "against_count",
        "neutral_count",
        "created_at",
        "closed_at",
        "hidden_at",
    ]
    list_filter = ["project", "opened_by_staff"]
    list_select_related = ["project", "author"]
    search_fields = ["question", "description", "conclusion"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "project",
        "question",
        "description",
        "author",
        "opened_by_staff",
        "closed_at",
        "closed_by",
        "conclusion",
        "comment_count",
        "for_count",
        "against_count",
        "neutral_count",
        "hidden_at",
        "hidden_cause",
        "hidden_reason",
        "report_count",
        "created_at",
        "updated_at",
    ]
