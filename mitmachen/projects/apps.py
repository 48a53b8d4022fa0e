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
