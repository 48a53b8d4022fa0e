"""Forms of "Rollen und Zugänge": invite, change a role, assign a project's managers.

Every choice list offers only what the person may give (no role above their own) and
only people of the own municipality; ``roles.services`` checks both once more.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import User
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.models import Project
from mitmachen.roles.permissions import grantable_roles

ROLE_HELP = _(
    "Administration: alle Prozesse und Rollen der Kommune. Projektleitung: eigene Prozesse "
    "anlegen und die übertragenen bearbeiten. Moderation: Beiträge prüfen und ausblenden."
)


class _RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rolle"),
        help_text=ROLE_HELP,
        error_messages={
            "required": _("Bitte wählen Sie eine Rolle."),
            "invalid_choice": _("Diese Rolle können Sie nicht vergeben."),
        },
    )

    def __init__(self, *args: Any, user: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", _("Bitte wählen")),
            *grantable_roles(user, organisation),
        ]


class InviteForm(_RoleForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Hat die Person schon ein Konto mit dieser Adresse, erhält sie die Rolle sofort. "
            "Sonst bekommt sie eine Einladung per E-Mail, die 14 Tage gilt."
        ),
        error_messages={
            "required": _("Bitte geben Sie eine E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )

    field_order = ["email", "role"]


class RoleChangeForm(_RoleForm):
    pass


class PersonField(forms.ModelChoiceField):
    """People by name and address: two staff members may share a display name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.public_name} ({obj.email})"


class ProjectManagerForm(forms.Form):
    person = PersonField(
        label=_("Person mit der Rolle Projektleitung"),
        queryset=User.objects.none(),
        empty_label=_("Bitte wählen"),
        error_messages={
            "required": _("Bitte wählen Sie eine Person."),
            "invalid_choice": _("Diese Person kann den Prozess nicht leiten."),
        },
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["person"])
        # Only the municipality's project managers who do not lead the project yet.
        field.queryset = (
            User.objects.filter(
                memberships__organisation_id=project.organisation_id,
                memberships__role=Role.PROJECT_MANAGER,
            )
            .exclude(managed_projects=project)
            .order_by("display_name", "email")
        )
