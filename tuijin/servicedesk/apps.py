"""Enterprise service requests (企业诉求): routing, working-day clocks, replies, ratings and call-backs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "tuijin.servicedesk"
    label = "servicedesk"
    verbose_name = _("Enterprise service requests")

    def ready(self) -> None:
        from .indicators import register_indicators

        register_indicators()  # per-unit on-time and satisfaction rates for assessment schemes
