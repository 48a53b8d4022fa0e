from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "mitmachen.organisations"
    label = "organisations"
    verbose_name = _("Kommunen und Ortsteile")

    def ready(self) -> None:
        from mitmachen.organisations import sections, signals  # noqa: F401 - connects receivers

        sections.register_all()
