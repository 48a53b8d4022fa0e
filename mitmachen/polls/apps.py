from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "mitmachen.polls"
    label = "polls"
    verbose_name = _("Umfragen und Abstimmungen")

    def ready(self) -> None:
        # Registers rules, signals and the follow check (services).
        from mitmachen.polls import permissions, services, signals  # noqa: F401
