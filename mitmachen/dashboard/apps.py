from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "mitmachen.dashboard"
    label = "dashboard"
    verbose_name = _("Arbeitsbereich für Mitarbeitende")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from mitmachen.core import background_files
        from mitmachen.dashboard import (
            permissions,  # noqa: F401 - registers the rules
            report_links,
            report_permissions,  # noqa: F401 - registers the rule
            statistics_links,
        )
        from mitmachen.dashboard.models import CouncilReport

        statistics_links.register_all()
        report_links.register_all()
        post_delete.connect(
            background_files.delete_files,
            sender=CouncilReport,
            dispatch_uid="council-report-files",
        )
