from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "tuijin.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        # The built-in automatic indicators; other capabilities register theirs the same way (registry.py).
        from .indicators import register_builtins

        register_builtins()
