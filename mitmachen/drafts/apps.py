from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "mitmachen.drafts"
    label = "drafts"
    verbose_name = _("Textentwürfe")

    def ready(self) -> None:
        from mitmachen.comments import targets
        from mitmachen.drafts import (
            comment_target,
            module,
            permissions,  # noqa: F401 - registers rules
            personal_data,  # noqa: F401 - registers "Meine Daten"
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        # Drafts lie above comments: a paragraph is a target comments learns of here.
        targets.register(comment_target.COMMENT_TARGET)
