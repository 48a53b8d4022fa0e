from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "mitmachen.polls"
    label = "polls"
    verbose_name = _("Umfragen und Abstimmungen")

    def ready(self) -> None:
        from mitmachen.polls import (
            module,
            permissions,  # noqa: F401 - registers rules
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
