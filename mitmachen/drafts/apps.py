from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "mitmachen.drafts"
    label = "drafts"
    verbose_name = _("Textentwürfe")

    def ready(self) -> None:
        from mitmachen.drafts import (
            module,
            permissions,  # noqa: F401 - registers rules
            personal_data,  # noqa: F401 - registers "Meine Daten"
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
