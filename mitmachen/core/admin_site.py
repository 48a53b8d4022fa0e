"""The project's admin site: Django's, minus work for people who may not use it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class MitmachenAdminSite(admin.AdminSite):
    """Django's admin site; the login and logout pages list no modules for visitors.

    Django builds the list of modules (asking every registered admin) for every admin
    page, including the login page, where nobody is signed in yet. The scoped admins
    ask the database about the person's roles, so the list is only built for people
    who may use the admin at all.
    """

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        if not self.has_permission(request):
            return []
        return super().get_app_list(request, app_label)


class MitmachenAdminConfig(AdminConfig):
    """``django.contrib.admin`` (label ``admin``) with the site above."""

    default_site = "mitmachen.core.admin_site.MitmachenAdminSite"
