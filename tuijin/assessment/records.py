"""Reading the records of a period in bulk, for the indicators and the round summary.

Joining tasks to their lead units in SQL with an IN list of a hundred units makes SQLite look every task up
one by one (a second for 20,000 tasks); reading the lead pairs alone and joining in Python takes a few
hundredths. So calculators fetch `lead_units()` once and filter tasks by task columns only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from tuijin.tasks.models import TaskUnit


def lead_units(unit_ids) -> dict[int, list[int]]:
    """task id → the ids of its lead units among `unit_ids`."""
    leads: dict[int, list[int]] = defaultdict(list)
    pairs = TaskUnit.objects.filter(role=TaskUnit.LEAD, unit_id__in=list(unit_ids)).values_list(
        "task_id", "unit_id"
    )
    for task_id, unit_id in pairs.order_by():
        leads[task_id].append(unit_id)
    return leads


def as_of(period_end: datetime.date) -> datetime.date:
    """The last day a period is measured to: its end, or today while it runs."""
    return min(period_end, timezone.localdate())


def moment(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LocalDay:
    """The local date of stored moments, with the time zone looked up once (called for every row)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()

    def __call__(self, value: datetime.datetime | None) -> datetime.date | None:
        return value.astimezone(self.zone).date() if value else None


def label(number: str, title: str) -> str:
    return f"{number} {title}".strip()[:80]
