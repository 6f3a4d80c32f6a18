"""Authentication, two-factor sign-in and the security policy (等保 2.0 level 3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "tuijin.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks, policy  # noqa: F401  (registers system checks and the policy cache's receivers)
        from .signin import mark_activity

        user_logged_in.connect(mark_activity, dispatch_uid="security.mark_activity")
