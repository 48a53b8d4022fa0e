from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "mitmachen.proposals"
    label = "proposals"
    verbose_name = _("Vorschläge")

    def ready(self) -> None:
        from mitmachen.proposals import permissions  # noqa: F401 - registers rules
