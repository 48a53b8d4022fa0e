"""Drafts in the admin: staff create a draft (title, address, introduction, published)
and import its text on the draft's own page ("Text importieren"), later versions with
"Neue Fassung veröffentlichen"; chapters and
paragraphs are read here, not edited, so they keep their identity once people respond.
Suggestions and votes are residents' contributions: weighed on the paragraph pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.drafts.models import Draft
from mitmachen.drafts.services import has_responses
from mitmachen.projects.admin_mixins import ProjectScopedAdmin, managed_projects


@admin.register(Draft)
class DraftAdmin(ProjectScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "project", "is_public", "version", "paragraphs_link"]
    list_filter = ["is_public", "project__organisation"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["project", "title", "slug", "intro", "is_public"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a draft would delete the residents' comments, votes and suggestions on
        # its paragraphs with it (all CASCADE): only a draft nobody responded to goes.
        if obj is not None and has_responses(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A draft stays in its project (its responses belong there).
        return ["project"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project":
            kwargs["queryset"] = managed_projects(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Text"))
    def paragraphs_link(self, obj: Draft) -> str:
        """Import the first version's text (its page leads on to a new version)."""
        if obj.version > 1:
            url = reverse("drafts:version_new", args=[obj.project.slug, obj.slug])
            return format_html('<a href="{}">{}</a>', url, _("Neue Fassung veröffentlichen"))
        url = reverse("drafts:import", args=[obj.project.slug, obj.slug])
        return format_html('<a href="{}">{}</a>', url, _("Text importieren"))
