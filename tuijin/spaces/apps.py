"""Talent apartments and furnished offices (拎包入住 / 拎包办公): inventory, policies, applications, queues, leases."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "tuijin.spaces"
    label = "spaces"
    verbose_name = _("Talent apartments and offices")
