from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "mitmachen.debates"
    label = "debates"
    verbose_name = _("Debatten")

    def ready(self) -> None:
        from mitmachen.comments import targets
        from mitmachen.debates import (
            comment_target,
            module,
            permissions,  # noqa: F401 - registers rules
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        # Debates lie above comments: a debate is a target comments learns of here.
        targets.register(comment_target.COMMENT_TARGET)
