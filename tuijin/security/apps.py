"""Authentication, two-factor sign-in and the security policy (等保 2.0 level 3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "tuijin.security"
    label = "security"
    verbose_name = _("Security")
