from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "mitmachen.budgets"
    label = "budgets"
    verbose_name = _("Bürgerhaushalt")

    def ready(self) -> None:
        from mitmachen.budgets import (
            module,
            permissions,  # noqa: F401 - registers rules
        )
        from mitmachen.projects import modules

        modules.register(module.MODULE)
