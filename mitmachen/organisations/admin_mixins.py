"""Admin helpers: staff of a municipality see and edit only their municipality's data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.admin_widgets import LabelledDateTimeAdmin
from mitmachen.organisations.models import Membership, Role


def organisation_ids(request: HttpRequest, roles: tuple[str, ...] | None = None) -> list[int]:
    """Ids of the municipalities where the signed-in person has one of ``roles`` (any role
    when ``None``); none for visitors who are not signed in (e.g. on the admin login page,
    which asks every admin whether to list its module)."""
    if not request.user.is_authenticated:
        return []
    return [org for org, role in _memberships(request.user) if not roles or role in roles]


def _memberships(user: Any) -> list[tuple[int, str]]:
    """The person's (municipality, role) pairs, in one query per request: an admin page asks
    every registered admin whether to list it, each asking for the person's municipalities.
    Kept on the user object (getattr/setattr reach through request.user's lazy object)."""
    found: list[tuple[int, str]] | None = getattr(user, "_mitmachen_memberships", None)
    if found is None:
        found = list(
            Membership.objects.filter(user=user).order_by().values_list("organisation_id", "role")
        )
        user._mitmachen_memberships = found
    return found


def may_open_admin_of(request: HttpRequest, model: type[Model]) -> bool:
    """May the person open the admin pages of ``model`` (asked of that model's admin)?"""
    model_admin = admin.site._registry.get(model)
    return model_admin is not None and model_admin.has_view_permission(request)


_PLAIN: dict[tuple[type[Model], str], Callable[[Any], str]] = {}


def _plain(model: type[Model], name: str) -> Callable[[Any], str]:
    """A read-only display of the related object as text (one function per field, so the
    admin recognises it again as the same read-only field)."""
    key = (model, name)
    if key not in _PLAIN:
        field = cast(Field, model._meta.get_field(name))  # a forward relation, never a reverse one

        def display(obj: Any) -> str:
            related = getattr(obj, name, None)
            return str(related) if related is not None else "–"

        display.short_description = field.verbose_name  # type: ignore[attr-defined]
        display.__name__ = name
        _PLAIN[key] = display
    return _PLAIN[key]


class RelatedLinksByPermission:
    """Read-only and raw-id foreign keys link to the related admin only for people who
    may open it; for everybody else they show the related object as plain text.

    Django links every read-only foreign key to the related object's change page (and a
    raw-id field to its list) without asking the related admin, so e.g. a project
    manager on a project page was led to the user admin and a 403.
    """

    def _is_editable_here(self, request: HttpRequest, obj: Any) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return self.has_change_permission(request, obj)
        return obj is None or self.has_change_permission(request, obj)  # type: ignore[attr-defined]

    def _unlinked(self, request: HttpRequest, obj: Any, names: list[Any]) -> dict[str, Any]:
        """Of ``names``, the foreign keys to shown as text, with their display."""
        model = self.model  # type: ignore[attr-defined]
        readonly = set(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        raw_ids = set(getattr(self, "raw_id_fields", ()))
        editable = self._is_editable_here(request, obj)
        found = {}
        for name in names:
            if not isinstance(name, str):
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            shown_read_only = name in readonly or name in raw_ids or not editable
            if shown_read_only and not may_open_admin_of(request, field.related_model):
                found[name] = _plain(model, name)
        return found

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        names = [name for _title, options in fieldsets for name in _flatten(options["fields"])]
        swap = self._unlinked(request, obj, names)
        if not swap:
            return fieldsets
        plain = set(swap.values())
        result = []
        for title, options in fieldsets:
            fields: list[Any] = []
            for name in options["fields"]:
                if isinstance(name, (list, tuple)):
                    fields.append(tuple(swap.get(n, n) for n in name if n not in plain))
                elif name not in plain:
                    fields.append(swap.get(name, name))
            result.append((title, {**options, "fields": fields}))
        return result

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        names = [f.name for f in self.model._meta.fields]  # type: ignore[attr-defined]
        plain = list(self._unlinked(request, obj, names).values())
        return [name for name in readonly if name not in {p.__name__ for p in plain}] + plain


def _flatten(fields: Any) -> list[Any]:
    flat: list[Any] = []
    for name in fields:
        flat.extend(name if isinstance(name, (list, tuple)) else [name])
    return flat


# --- Choices: every admin offers only what the person may manage -------------------------
#
# Scoped admins narrow their own rows (get_queryset). Three more places list objects and
# are narrowed here, once for all admins: list filters (only objects that occur in the
# person's own rows), the hidden id of inline rows (only the parent's own rows) and
# accounts (found by their exact e-mail address instead of a list of every account).


def scoped_list_filter(model: type[Model], list_filter: Any) -> list[Any]:
    """``list_filter`` with every filter over a relation listing only related objects that
    occur in the admin's own (scoped) rows (Django's default lists every object)."""
    result = []
    for entry in list_filter:
        if isinstance(entry, str):
            field = get_fields_from_path(model, entry)[-1]
            if field.is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
        result.append(entry)
    return result


class ScopedListFilters:
    """List filters show only objects from the rows the person may see."""

    def get_list_filter(self, request: HttpRequest) -> Any:
        list_filter = super().get_list_filter(request)  # type: ignore[misc]
        return scoped_list_filter(self.model, list_filter)  # type: ignore[attr-defined]


class OwnRowsInline:
    """Inline rows are found only among the parent's own rows.

    Django's formsets accept the id of any row of the model in an inline's hidden id
    field (and then ignore it); here the field knows only the parent's rows.
    """

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

        class OwnRowsFormSet(formset):  # type: ignore[misc, valid-type]
            def add_fields(self, form: Any, index: Any) -> None:
                super().add_fields(form, index)
                name = self.model._meta.pk.name
                if name in form.fields and hasattr(form.fields[name], "queryset"):
                    form.fields[name].queryset = self.get_queryset()

        OwnRowsFormSet.__name__ = formset.__name__
        return OwnRowsFormSet


class UserByEmailField(forms.EmailField):
    """An account, entered by its exact e-mail address (for invitations and staff roles).

    Staff never get a list of the platform's accounts: they type the address the person
    registered with, and the field finds that account or says that there is none.
    """

    default_error_messages = {
        "unknown": _(
            "Es gibt kein Konto mit der E-Mail-Adresse %(email)s. Die Person muss sich "
            "zuerst selbst registrieren."
        ),
    }

    def prepare_value(self, value: Any) -> Any:
        user_model = get_user_model()
        if isinstance(value, user_model):
            return value.email
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return user_model.objects.filter(pk=value).values_list("email", flat=True).first()
        return value

    def clean(self, value: Any) -> Any:
        email = super().clean(value)
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"email": email}
            )
        return user

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = (self.prepare_value(initial) or "").strip().lower()
        return before != (data or "").strip().lower()


class UserByEmailInline(OwnRowsInline):
    """An inline whose ``user`` is entered by e-mail address (see ``UserByEmailField``)."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            return UserByEmailField(
                label=_("E-Mail-Adresse des Kontos"),
                help_text=_("Die Adresse, mit der sich die Person registriert hat."),
                required=not db_field.blank,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class OrganisationScopedAdmin(ScopedListFilters, RelatedLinksByPermission, LabelledDateTimeAdmin):
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
