from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClimateConfig(AppConfig):
    name = "mitmachen.climate"
    label = "climate"
    verbose_name = _("Klima- und Umweltdaten")

    def ready(self) -> None:
        from mitmachen.climate import module, permissions  # noqa: F401 - registers rules
        from mitmachen.projects import modules

        modules.register(module.MODULE)
