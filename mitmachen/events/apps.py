from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "mitmachen.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from mitmachen.events import (
            module,
            permissions,  # noqa: F401 - registers rules
            signals,
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        signals.connect()
