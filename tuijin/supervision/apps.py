from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tuijin.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Plug warnings and evidence checks into the task engine's hooks (tuijin/tasks/hooks.py).
        from . import apps_hooks, evidence_checks

        apps_hooks.register()
        evidence_checks.register()
