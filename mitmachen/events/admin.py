from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.core.forms import attach_errors
from mitmachen.events import route, services
from mitmachen.events.forms import OpeningHoursFormSet
from mitmachen.events.models import (
    MAX_QUESTIONS,
    Closure,
    Event,
    Frequency,
    Office,
    OpeningHours,
    Question,
    Registration,
    Series,
    Tour,
)
from mitmachen.events.permissions import organises
from mitmachen.organisations.admin_mixins import (
    OrganisationScopedAdmin,
    OwnRowsInline,
    organisation_ids,
)
from mitmachen.organisations.models import District, Role
from mitmachen.projects.models import Project

ORGANISER_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


class RouteField(forms.CharField):
    """A city walk's route as text, one point per line (``events.route``), so staff enter
    it without JavaScript; cleaned into the GeoJSON the model stores."""

    widget = forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return route.as_text(value)
        return value

    def to_python(self, value: Any) -> Any:
        return route.parse(super().to_python(value) or "")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return route.as_text(initial) != self.prepare_value(data or "").strip()


class EventAdminForm(forms.ModelForm):
    route = RouteField(
        label=_("Route (nur Stadtrundgang)"),
        required=False,
        help_text=Event._meta.get_field("route").help_text,
    )
    online_url = forms.URLField(
        label=_("Link zur Online-Teilnahme"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "organisation",
            "projects",
            "district",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "status",
            "status_note",
            "is_published",
            "place_name",
            "address",
            "lat",
            "lon",
            "online_url",
            "step_free",
            "hearing_loop",
            "sign_language",
            "childcare",
            "registration_enabled",
            "capacity",
            "online_url_registered_only",
            "tour",
            "route",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        projects = data.get("projects") or []
        if organisation is not None and any(p.organisation_id != organisation.pk for p in projects):
            raise ValidationError(
                {"projects": _("Diese Beteiligungsprozesse gehören zu einer anderen Kommune.")}
            )
        return data

    def _post_clean(self) -> None:
        # Django's ModelForm hook (model validation), missing from django-stubs.
        super()._post_clean()  # type: ignore[misc]
        # After the model's own checks (the instance holds the form's values now): a
        # tour's stops must not overlap, said at the field instead of failing on save.
        if not self.errors and self.instance.tour_id is not None:
            clash = services.tour_clash(self.instance)
            if clash:
                self.add_error("starts_at", clash)


class QuestionInline(OwnRowsInline, admin.StackedInline):
    """Questions asked on registering (dietary needs, a sign-language interpreter …):
    whoever may change the event may change them (staff roles carry no Django model
    permissions)."""

    model = Question
    extra = 0
    max_num = MAX_QUESTIONS
    fields = ["text", "kind", "options", "required", "order"]

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request, ORGANISER_ROLES))
        return organises(request.user, obj.organisation_id)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request))
        return request.user.is_superuser or obj.organisation_id in organisation_ids(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


@admin.register(Event)
class EventAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff of a municipality plan its events here; saving goes through
    ``services.event_save`` (validation, telling registered people of a cancellation,
    moving the waitlist up when places are added)."""

    form = EventAdminForm
    inlines = [QuestionInline]
    edit_roles = ORGANISER_ROLES
    list_display = ["title", "kind", "starts_at", "district", "status", "is_published"]
    list_filter = ["kind", "status", "is_published", "organisation", "tour"]
    list_select_related = ["district", "organisation"]
    search_fields = ["title", "description", "place_name"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["projects"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "projects",
                    "district",
                    "kind",
                    "tour",
                    "title",
                    "description",
                ]
            },
        ),
        (_("Zeit"), {"fields": ["starts_at", "ends_at", "status", "status_note", "is_published"]}),
        (_("Ort"), {"fields": ["place_name", "address", "lat", "lon", "online_url", "route"]}),
        (
            _("Barrierefreiheit"),
            {"fields": ["step_free", "hearing_loop", "sign_language", "childcare"]},
        ),
        (
            _("Anmeldung"),
            {"fields": ["registration_enabled", "capacity", "online_url_registered_only"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is District and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            ).select_related("organisation")
        if db_field.related_model is Tour and not request.user.is_superuser:
            kwargs["queryset"] = Tour.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Project and not request.user.is_superuser:
            kwargs["queryset"] = Project.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        services.event_save(user=request.user, event=obj, projects=form.cleaned_data["projects"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The projects are saved by ``event_save``; other relations are none.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, OrganisationScopedAdmin, admin.ModelAdmin):
    """Registrations to look up; people register and cancel on the event page (the
    services keep the capacity and move the waitlist up)."""

    organisation_path = "event__organisation"
    edit_roles = ORGANISER_ROLES
    list_display = ["event", "user", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    search_fields = ["event__title", "user__email", "user__display_name"]
    readonly_fields = ["event", "user", "status", "created_at", "updated_at"]


class SeriesAdminForm(forms.ModelForm):
    first = forms.ModelChoiceField(
        label=_("Erster Termin"),
        queryset=Event.objects.none(),
        help_text=_(
            "Eine geplante Veranstaltung: die weiteren Termine übernehmen Ort, Beschreibung, "
            "Anmeldung und Uhrzeit; der Wochentag ist der des ersten Termins."
        ),
    )

    class Meta:
        model = Series
        fields = ["frequency", "interval", "week_of_month", "until"]

    request: HttpRequest

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = data.get("first")
        if data.get("frequency") == Frequency.WEEKLY:
            data["week_of_month"] = None
        if first is None or self.errors:
            return data
        try:
            services.series_plan(
                user=self.request.user,
                first=first,
                frequency=data["frequency"],
                until=data["until"],
                interval=data["interval"],
                week_of_month=data.get("week_of_month"),
            )
        except ValidationError as error:
            attach_errors(self, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return data


@admin.register(Series)
class SeriesAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """A series is defined once from its first date (``services.series_create`` makes the
    further dates); afterwards each date is changed, cancelled or moved on its own.
    Deleting a series keeps its dates as single events."""

    form = SeriesAdminForm
    edit_roles = ORGANISER_ROLES
    list_display = ["title", "frequency", "until", "created_at"]
    list_select_related = ["organisation"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ["title", "organisation", "frequency", "interval", "week_of_month", "until"]
        return ["first", "frequency", "interval", "week_of_month", "until"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            events = Event.objects.filter(
                series__isnull=True, starts_at__gt=timezone.now()
            ).select_related("organisation")
            if not request.user.is_superuser:
                events = events.filter(organisation__in=organisation_ids(request, self.edit_roles))
            first = cast(forms.ModelChoiceField, form.base_fields["first"])
            first.queryset = events.order_by("starts_at")
        form.request = request  # type: ignore[attr-defined]
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A series is not changed after it is made: its dates are.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Series, form: Any, change: bool) -> None:
        data = form.cleaned_data
        series = services.series_create(
            user=request.user,
            first=data["first"],
            frequency=data["frequency"],
            until=data["until"],
            interval=data["interval"],
            week_of_month=data.get("week_of_month")
            if data["frequency"] == Frequency.MONTHLY
            else None,
        )
        obj.pk = series.pk
        obj.organisation_id = series.organisation_id
        obj.title = series.title


@admin.register(Tour)
class TourAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """A Mitmachmobil tour: its title and description. Its stops are events of the kind
    "Mitmachmobil-Halt" that name the tour (planned under "Veranstaltungen"), so each
    stop has its place, map point, times, status and registration."""

    edit_roles = ORGANISER_ROLES
    fields = ["organisation", "title", "description", "is_published"]
    list_display = ["title", "organisation", "is_published"]
    list_select_related = ["organisation"]
    search_fields = ["title"]

    def save_model(self, request: HttpRequest, obj: Tour, form: Any, change: bool) -> None:
        services.tour_save(user=request.user, tour=obj)


class _OfficePartInline(OwnRowsInline):
    """Hours and closures: whoever may change the office may change them."""

    extra = 0

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request, ORGANISER_ROLES))
        return organises(request.user, obj.organisation_id)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request))
        return request.user.is_superuser or obj.organisation_id in organisation_ids(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class OpeningHoursInline(_OfficePartInline, admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    fields = ["weekday", "opens", "closes"]
    extra = 1


class ClosureInline(_OfficePartInline, admin.TabularInline):
    model = Closure
    fields = ["starts_on", "ends_on", "reason"]


@admin.register(Office)
class OfficeAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """A project office with its weekly opening hours (local time) and closures
    (holidays, leave). Saving goes through ``services.office_save``."""

    edit_roles = ORGANISER_ROLES
    inlines = [OpeningHoursInline, ClosureInline]
    fields = [
        "organisation",
        "district",
        "name",
        "address",
        "lat",
        "lon",
        "contact_name",
        "phone",
        "email",
        "note",
        "closed_on_holidays",
        "is_published",
    ]
    list_display = ["name", "organisation", "district", "is_published"]
    list_select_related = ["organisation", "district"]
    search_fields = ["name", "address"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is District and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            ).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Office, form: Any, change: bool) -> None:
        services.office_save(user=request.user, office=obj)
