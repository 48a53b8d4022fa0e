from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessTemplatesConfig(AppConfig):
    name = "mitmachen.processtemplates"
    label = "processtemplates"
    verbose_name = _("Prozessvorlagen")

    def ready(self) -> None:
        from mitmachen.processtemplates import (
            module,
            permissions,  # noqa: F401 - registers rules
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
