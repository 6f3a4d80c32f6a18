"""The facts a circular states about a period, fixed when the round is computed: counts and the red list."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from tuijin.supervision.models import Order, Warning
from tuijin.tasks.models import TaskState

from ..records import LocalDay, as_of, lead_units, moment

RED_LIST_LIMIT = 500


def round_summary(units, tasks, start: datetime.date, end: datetime.date) -> dict:
    """Counts over the tasks the participating units lead, the overdue tasks as of the period's end (or today),
    warnings and orders of the period, and red orders per unit (for the criticism list)."""
    last = as_of(end)
    after = moment(last + datetime.timedelta(days=1))
    names = {u.pk: u.name for u in units}
    leads = lead_units(names)
    local_day = LocalDay()
    led = sum(1 for pk in tasks.values_list("id", flat=True).order_by() if pk in leads)
    due = on_time = 0
    for pk, deadline, state, closed_at in tasks.filter(deadline__gte=start, deadline__lte=last).values_list(
        "id", "deadline", "state", "closed_at"
    ):
        if pk in leads:
            due += 1
            on_time += state == TaskState.CLOSED and local_day(closed_at) <= deadline
    red = []
    overdue = (
        tasks.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=after), deadline__lt=last)
        .values_list("id", "code", "number", "title", "deadline", "plan__name")
        .order_by("deadline", "plan__name", "sort_key", "id")
    )
    for pk, code, number, title, deadline, plan_name in overdue:
        if pk in leads:
            red.append({"code": str(code), "number": number, "title": title, "plan": plan_name,
                        "deadline": deadline.isoformat(), "days": (last - deadline).days,
                        "units": [names[u] for u in leads[pk]]})  # fmt: skip
    warnings = sum(
        1
        for task_id in Warning.objects.filter(task__in=tasks.values("pk"), first_seen__gte=moment(start),
                                              first_seen__lt=after).values_list("task_id", flat=True)
        if task_id in leads
    )  # fmt: skip
    orders: dict[str, int] = defaultdict(int)
    red_orders: dict[str, int] = defaultdict(int)
    for unit_id, level, n in (
        Order.objects.filter(unit_id__in=list(names), task__in=tasks.values("pk"), issued_at__gte=moment(start),
                             issued_at__lt=after)
        .exclude(state=Order.State.WITHDRAWN)
        .values_list("unit_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    ):  # fmt: skip
        orders[level] += n
        if level == Order.Level.RED:
            red_orders[str(unit_id)] += n
    return {
        "as_of": last.isoformat(), "units": len(units), "tasks": led, "due": due, "on_time": on_time,
        "overdue": len(red), "warnings": warnings, "orders": dict(orders), "red_orders": dict(red_orders),
        "red_list": red[:RED_LIST_LIMIT],
    }  # fmt: skip
