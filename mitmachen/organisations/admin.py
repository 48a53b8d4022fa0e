from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.core.images import SanitisedImagesMixin
from mitmachen.organisations.admin_mixins import (
    OrganisationScopedAdmin,
    RelatedLinksByPermission,
    UserByEmailInline,
    organisation_ids,
)
from mitmachen.organisations.models import (
    AccessibilityFeedback,
    District,
    Membership,
    Organisation,
    Role,
)


class MembershipInline(
    ReadOnlyAdminMixin, UserByEmailInline, RelatedLinksByPermission, admin.TabularInline
):
    """Staff roles of a municipality, shown read-only.

    Roles are given, changed and taken in the staff workspace ("Rollen und Zugänge",
    ``roles.services``), the one write path that checks the ranks and keeps the log; the
    admin only shows them, also to the operator.
    """

    model = Membership
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Without ``obj`` Django asks whether to show any rows at all; the organisation
        # admin has already limited the page to the person's municipalities.
        if request.user.is_superuser:
            return True
        ids = organisation_ids(request)
        return bool(ids) if obj is None else obj.pk in ids


class OrganisationAdminForm(SanitisedImagesMixin, forms.ModelForm):
    sanitised_image_fields = ("logo",)
    website = forms.URLField(label=_("Webseite"), required=False, assume_scheme="https")
    enforcement_url = forms.URLField(
        label=_("Durchsetzungsstelle: Webseite"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "slug",
            "description",
            "is_operator",
            "logo",
            "logo_alt",
            "primary_color",
            "contact_email",
            "contact_phone",
            "address",
            "website",
            "imprint",
            "privacy",
            "accessibility",
            "accessibility_created",
            "accessibility_reviewed",
            "accessibility_easy",
            "enforcement_name",
            "enforcement_address",
            "enforcement_email",
            "enforcement_phone",
            "enforcement_url",
            "sign_language_video",
            "sign_language_captions",
            "sign_language_transcript",
        ]


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    form = OrganisationAdminForm
    organisation_path = "pk"
    list_display = ["name", "slug", "is_operator"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "description", "is_operator"]}),
        (_("Erscheinungsbild"), {"fields": ["logo", "logo_alt", "primary_color"]}),
        (_("Kontakt"), {"fields": ["contact_email", "contact_phone", "address", "website"]}),
        (_("Rechtstexte"), {"fields": ["imprint", "privacy", "accessibility"]}),
        (
            _("Erklärung zur Barrierefreiheit: Stand und Durchsetzungsverfahren"),
            {
                "fields": [
                    "accessibility_created",
                    "accessibility_reviewed",
                    "enforcement_name",
                    "enforcement_address",
                    "enforcement_email",
                    "enforcement_phone",
                    "enforcement_url",
                ],
                "description": _(
                    "Diese Angaben erscheinen in der Erklärung zur Barrierefreiheit und in "
                    "ihrer Fassung in Leichter Sprache. Leere Felder werden nicht angezeigt."
                ),
            },
        ),
        (_("Leichte Sprache"), {"fields": ["accessibility_easy"]}),
        (
            _("Deutsche Gebärdensprache"),
            {
                "fields": [
                    "sign_language_video",
                    "sign_language_captions",
                    "sign_language_transcript",
                ],
                "description": _(
                    "Ein Video in Deutscher Gebärdensprache mit Untertiteln und Abschrift. "
                    "Solange keines hochgeladen ist, sagt die Seite „Gebärdensprache“, "
                    "dass das Video in Vorbereitung ist, und nennt Ihre Kontaktdaten."
                ),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=organisation_ids(request))

    def _org_id_of(self, obj: Any) -> int | None:
        return obj.pk

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # New municipalities are set up by the platform operator.
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if request.user.is_superuser else ["slug", "is_operator"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        # A read-only slug has no input to fill; asking for one made the page fail (500).
        return dict(self.prepopulated_fields) if request.user.is_superuser else {}


@admin.register(District)
class DistrictAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "organisation", "is_demo_boundary"]
    list_filter = ["organisation", "is_demo_boundary"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        # An Ortsteil stays in its municipality (its proposals and residents are there).
        return [*readonly, "organisation"] if obj is not None else readonly


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "organisation", "page_url", "handled"]
    list_filter = ["handled", "organisation"]
    readonly_fields = ["organisation", "user", "name", "email", "page_url", "message", "created_at"]
    edit_roles = (Role.ADMIN, Role.MODERATOR)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
