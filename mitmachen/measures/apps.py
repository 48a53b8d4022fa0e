from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "mitmachen.measures"
    label = "measures"
    verbose_name = _("Maßnahmen")

    def ready(self) -> None:
        from mitmachen.measures import (
            module,
            origins,
            permissions,  # noqa: F401 - registers rules
            signals,
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        signals.connect()
        origins.connect()
