from __future__ import annotations

from django.contrib import admin

from mitmachen.comments.models import Comment
from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin
from mitmachen.organisations.models import Role


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff read the discussions of their municipality's projects here.

    Read-mostly: comments are written, edited and deleted through the services (so the
    counters stay exact); hiding and reports come with moderation. A hard delete here
    would leave Proposal.comment_count wrong (deleting is soft, in the services).
    """

    organisation_path = "project__organisation"
    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    list_display = [
        "__str__",
        "project",
        "proposal",
        "debate",
        "paragraph",
        "stance",
        "channel",
        "up_count",
        "down_count",
        "reply_count",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["channel", "stance", "project"]
    list_select_related = ["project", "proposal", "debate", "paragraph", "author"]
    search_fields = ["text"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "project",
        "proposal",
        "debate",
        "paragraph",
        "stance",
        "parent",
        "reply_to",
        "author",
        "text",
        "channel",
        "entered_by",
        "edited_at",
        "deleted_at",
        "up_count",
        "down_count",
        "reply_count",
        "created_at",
        "updated_at",
    ]
