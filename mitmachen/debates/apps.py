from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "mitmachen.debates"
    label = "debates"
    verbose_name = _("Debatten")

    def ready(self) -> None:
        from mitmachen.debates import permissions  # noqa: F401 - registers rules
