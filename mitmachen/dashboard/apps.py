from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "mitmachen.dashboard"
    label = "dashboard"
    verbose_name = _("Arbeitsbereich für Mitarbeitende")

    def ready(self) -> None:
        from mitmachen.dashboard import (
            permissions,  # noqa: F401 - registers the rules
            statistics_links,
        )

        statistics_links.register_all()
