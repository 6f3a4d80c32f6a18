"""双报到 registrations and service records, and 办实事 lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "tuijin.partybuilding"
    label = "partybuilding"
    verbose_name = _("Party building")
