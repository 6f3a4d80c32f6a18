"""Event programmes (黄河文化月, 拜祖大典): activities, preparation tasks, readiness, run sheets."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventprogrammesConfig(AppConfig):
    name = "tuijin.events"
    label = "events"
    verbose_name = _("Event programmes")
