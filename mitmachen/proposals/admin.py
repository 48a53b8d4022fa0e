from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin
from mitmachen.organisations.models import Role
from mitmachen.projects.admin import ProjectPartInline
from mitmachen.proposals.models import CustomStatus, Proposal
from mitmachen.proposals.permissions import can


@admin.register(Proposal)
class ProposalAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff find and read the proposals of their municipality here.

    Read-only on purpose: proposals are written through the services. The status, a
    custom status and the public response are set on the proposal's status page
    (``proposals:status``), which records the history and notifies the author and the
    followers; project, author and the counters never change after creation; hiding
    goes through moderation (logged).
    """

    organisation_path = "project__organisation"
    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    list_display = ["title", "project", "status", "channel", "support_count", "created_at"]
    list_filter = ["status", "channel", "project"]
    list_select_related = ["project"]
    search_fields = ["title", "text"]
    fieldsets = [
        (_("Status und Rückmeldung"), {"fields": ["status_page", "status", "custom_status"]}),
        (
            None,
            {
                "fields": [
                    "project",
                    "title",
                    "text",
                    "author",
                    "topic",
                    "district",
                    "place_description",
                    "lon",
                    "lat",
                ]
            },
        ),
        (
            _("Herkunft"),
            {
                "fields": [
                    "channel",
                    "submitted_on",
                    "offline_place",
                    "offline_name",
                    "offline_consent",
                    "entered_by",
                ]
            },
        ),
        (
            _("Verlauf"),
            {
                "fields": [
                    "support_count",
                    "comment_count",
                    "quorum_reached_at",
                    "official_response",
                    "responded_at",
                    "withdrawn_at",
                    "withdrawal_reason",
                    "hidden_at",
                    "hidden_reason",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    readonly_fields = ["status_page", "status_note", "created_at", "updated_at"]

    @admin.display(description=_("Status ändern"))
    def status_page(self, obj: Proposal) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("proposals:status", args=[obj.pk]),
            _("Status und Rückmeldung auf der Seite des Vorschlags ändern"),
        )

    @admin.display(description=_("Status ändern"))
    def status_note(self, obj: Proposal) -> str:
        return str(_("Den Status ändern die Administration und die Projektleitung des Prozesses."))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and can(request.user, "respond", obj):
            return fieldsets
        # No link to a page the person may not open.
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        "status_note" if name == "status_page" else name
                        for name in options["fields"]
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Proposals are created through the services (online form, offline entry).
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing only: a change here would skip the status history, the notifications
        # and the checks of the services.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Moderation hides (logged); only the platform operator deletes, e.g. on a court order.
        return request.user.is_superuser


class CustomStatusInline(ProjectPartInline, admin.TabularInline):
    """Statuses a project adds to the standard ones (e.g. "An den Ortsbeirat weitergeleitet"),
    edited on the project's admin page (``ParticipationModule.project_admin_inlines``)."""

    model = CustomStatus
    extra = 0
    fields = ["name", "base", "description", "position"]
