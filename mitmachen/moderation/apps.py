from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "mitmachen.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from mitmachen.moderation import module, permissions, personal_data, signals  # noqa: F401 - registers
        from mitmachen.projects import modules

        modules.register(module.MODULE)
        # Every declared target, also one of a module installed after this app.
        modules.each_moderation_target(module.add_links_section)
        signals.connect()
