from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    """Staff roles in the site: invitations by e-mail, roles per municipality and per
    project, and the log of every change (the dashboard's "Rollen und Zugänge")."""

    name = "mitmachen.roles"
    label = "roles"
    verbose_name = _("Rollen und Zugänge")

    def ready(self) -> None:
        from mitmachen.roles import permissions  # noqa: F401  (registers the rules)
