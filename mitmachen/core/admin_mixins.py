"""Admin helpers: staff of a municipality see and edit only their municipality's data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from mitmachen.core.admin_widgets import LabelledDateTimeAdmin
from mitmachen.organisations.models import Membership, Role


def organisation_ids(request: HttpRequest, roles: tuple[str, ...] | None = None) -> list[int]:
    memberships = Membership.objects.filter(user=request.user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("organisation_id", flat=True))


class OrganisationScopedAdmin(LabelledDateTimeAdmin):
    """Limits an admin to rows of the user's organisations (superusers see all).

    ``organisation_path`` is the lookup from the model to its Organisation.
    ``edit_roles`` are the roles that may change rows; other staff may view them.
    """

    organisation_path = "organisation"
    edit_roles: tuple[str, ...] = (Role.ADMIN,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.organisation_path}__in": organisation_ids(request)})

    def _org_id_of(self, obj: Any) -> int | None:
        target = obj
        for part in self.organisation_path.split("__"):
            target = getattr(target, part, None)
        return getattr(target, "pk", None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(organisation_ids(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        ids = organisation_ids(request)
        return bool(ids) if obj is None else self._org_id_of(obj) in ids

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        ids = organisation_ids(request, self.edit_roles)
        return bool(ids) if obj is None else self._org_id_of(obj) in ids

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser or bool(organisation_ids(request, self.edit_roles))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        ids = organisation_ids(request, (Role.ADMIN,))
        return bool(ids) if obj is None else self._org_id_of(obj) in ids

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        from mitmachen.organisations.models import Organisation

        if db_field.related_model is Organisation and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(
                pk__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
