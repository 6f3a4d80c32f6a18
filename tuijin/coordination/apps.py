"""Coordination (联络员 / 联席会议 / 领导批示): liaison roster, joint meetings whose decisions become tasks, instructions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "tuijin.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
