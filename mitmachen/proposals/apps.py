from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "mitmachen.proposals"
    label = "proposals"
    verbose_name = _("Vorschläge")

    def ready(self) -> None:
        from mitmachen.projects import modules
        from mitmachen.proposals import (
            module,
            permissions,  # noqa: F401 - registers rules
        )

        modules.register(module.MODULE)
