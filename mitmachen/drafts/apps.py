from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "mitmachen.drafts"
    label = "drafts"
    verbose_name = _("Textentwürfe")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from mitmachen.comments import targets
        from mitmachen.core import background_files
        from mitmachen.drafts import (
            comment_target,
            module,
            permissions,  # noqa: F401 - registers rules
            personal_data,  # noqa: F401 - registers "Meine Daten"
        )
        from mitmachen.drafts.models import WeighingTableFile
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        # Drafts lie above comments: a paragraph is a target comments learns of here.
        targets.register(comment_target.COMMENT_TARGET)
        post_delete.connect(
            background_files.delete_files,
            sender=WeighingTableFile,
            dispatch_uid="drafts-weighing-table-files",
        )
