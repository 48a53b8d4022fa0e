from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "mitmachen.projects"
    label = "projects"
    verbose_name = _("Beteiligungsprozesse")

    def ready(self) -> None:
        from mitmachen.projects import permissions, sections, signals  # noqa: F401 - rules

        signals.connect()
        sections.register_all()
        _declare_notification_kinds()


def _declare_notification_kinds() -> None:
    """What followers of a project hear about (``services.project_followers_notify``)."""
    from mitmachen.notifications import kinds
    from mitmachen.projects.models import PARTICIPATION_OPENED, PHASE_STARTED, RESULTS_PUBLISHED

    kinds.register(PHASE_STARTED, _("Neue Phase"))
    kinds.register(PARTICIPATION_OPENED, _("Neue Beteiligung"))
    kinds.register(RESULTS_PUBLISHED, _("Ergebnisse veröffentlicht"))
