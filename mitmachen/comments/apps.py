from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "mitmachen.comments"
    label = "comments"
    verbose_name = _("Kommentare")

    def ready(self) -> None:
        from mitmachen.comments import (
            module,
            permissions,  # noqa: F401 - registers rules
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
