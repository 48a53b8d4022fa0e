from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mitmachen.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from mitmachen.accounts import (
            checks,  # noqa: F401 - registers the deployment check
            signals,  # noqa: F401 - renews cached accounts
        )

        # Each app may contribute to "Meine Daten" with a personal_data module.
        autodiscover_modules("personal_data")
        # … and to "Meine Abonnements" with a follows module.
        autodiscover_modules("follows")
