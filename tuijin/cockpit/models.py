"""The cockpit reads tasks, warnings, orders and scores; what it keeps of its own is a snapshot of its figures.

Counting a whole year of tasks takes a fraction of a second for a city and seconds for a province (bench/), too
slow for a page leaders open in meetings and a wall screen that refreshes every minute. The figures of each scope
are therefore computed by the periodic pass (and on demand when older than `COCKPIT_MAX_AGE`), kept here, and the
page reads one row; it says when the figures were computed. The drill-down lists stay live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The cockpit's figures for one scope: a year, optionally one plan, and whose tasks (everyone's, or those of
    a set of units). `figures` holds counts and ids only (services.compute_figures); nothing personal."""

    key = models.CharField(_("scope"), max_length=200, unique=True)
    year = models.PositiveIntegerField(_("year"))
    as_of = models.DateField(
        _("as of day")
    )  # the "today" the figures were counted for (due windows, overdue)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("time to compute (s)"), default=0)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("cockpit snapshot")
        verbose_name_plural = _("cockpit snapshots")

    def __str__(self) -> str:
        return f"{self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
