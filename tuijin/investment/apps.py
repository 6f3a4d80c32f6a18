from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "tuijin.investment"
    label = "investment"
    verbose_name = _("Investment attraction")

    def ready(self) -> None:
        # A typed progress report never overrides a task measured from the pipeline (tuijin/tasks/hooks.py).
        from . import measures
        from .indicators import register_indicators

        measures.register()
        register_indicators()  # signed count and amount, start rate, funds rate for assessment schemes
