from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tuijin.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import audit_checks, checks  # noqa: F401  (registers system checks)
        from .audit_signals import connect

        connect()
