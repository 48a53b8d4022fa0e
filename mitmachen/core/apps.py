from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mitmachen.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from mitmachen.core.signals import sync_site

        post_migrate.connect(sync_site, dispatch_uid="mitmachen.core.sync_site")
