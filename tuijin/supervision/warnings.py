"""Warnings (预警) on tasks: opened when a cause appears, refreshed while it lasts, resolved when it goes away.

Four causes, each with its own row so the board and the assessment can count them apart:

- OVERDUE (red): the deadline has passed.
- DEADLINE (yellow): the deadline is within the plan's `yellow_workdays` working days.
- PROGRESS (yellow): reported progress lags time-proportional progress (序时进度) by more than the plan's
  `progress_lag_points`.
- REPORT (yellow): the lead unit has not reported for the last period whose report is already due.

Red supersedes the two yellow deadline axes: an overdue task keeps only its red warning (and a missing report).
`sync_warnings` runs after every status refresh (`tasks.hooks.after_status_refresh`) and from `tuijin tick`.
Warnings are derived records — their own first_seen / resolved_at are their history — so no audit row is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.calendar import get_calendar
from tuijin.lib.workdays import CalendarMissing, WorkdayCalendar
from tuijin.org.models import Role
from tuijin.tasks.models import Plan, Report, Task, TaskState, TaskStatus, TaskUnit
from tuijin.tasks.reporting import recent_periods
from tuijin.tasks.services import period_due
from tuijin.tasks.status import describe_reason, elapsed_percent

from .models import Warning

Kind = Warning.Kind
Level = Warning.Level
LEVELS = {
    Kind.OVERDUE: Level.RED,
    Kind.DEADLINE: Level.YELLOW,
    Kind.PROGRESS: Level.YELLOW,
    Kind.REPORT: Level.YELLOW,
}
LAST_SEEN_STEP = datetime.timedelta(hours=1)


# ——— the rules, shared with the reminders ———


def workdays_left(calendar: WorkdayCalendar, today: datetime.date, deadline: datetime.date) -> int:
    """Working days in (today, deadline]; calendar days when next year's calendar is not entered yet (as the
    task status does, so that a warning and the status agree)."""
    try:
        return calendar.workdays_between(today, deadline)
    except CalendarMissing:
        return (deadline - today).days


def last_due_period(plan: Plan, today: datetime.date) -> tuple[str, datetime.date] | None:
    """The latest reporting period of the plan whose report was due before today, with its due date."""
    for period in reversed(recent_periods(plan.cadence, today, 2)):
        due = period_due(plan, period)
        if due < today:
            return period, due
    return None


def lead_pairs(tasks: list[Task]) -> set[tuple[int, int]]:
    """(task id, lead unit id) for the tasks — from prefetched task units when every task has them."""
    if tasks and all("task_units" in getattr(t, "_prefetched_objects_cache", {}) for t in tasks):
        return {
            (tu.task_id, tu.unit_id) for t in tasks for tu in t.task_units.all() if tu.role == TaskUnit.LEAD
        }
    return lead_pairs_of_ids([t.pk for t in tasks])


def lead_pairs_of_ids(task_ids: Iterable[int] | QuerySet) -> set[tuple[int, int]]:
    """(task id, lead unit id) for these task ids (a list, or a values("pk") queryset used as a subquery)."""
    if not isinstance(task_ids, QuerySet):
        task_ids = list(task_ids)
    return set(
        TaskUnit.objects.filter(task_id__in=task_ids, role=TaskUnit.LEAD).values_list("task_id", "unit_id")
    )


def reported_pairs(task_ids: Iterable[int] | QuerySet, periods: Iterable[str]) -> set[tuple[int, int, str]]:
    """(task id, unit id, period) of every report of these tasks in these periods."""
    periods = set(periods)
    if not periods:
        return set()
    if not isinstance(task_ids, QuerySet):
        task_ids = list(task_ids)
    return set(
        Report.objects.filter(task_id__in=task_ids, period__in=periods).values_list(
            "task_id", "unit_id", "period"
        )
    )


def _plans_of(tasks: list[Task]) -> dict[int, Plan]:
    plans = {t.plan_id: t.plan for t in tasks if Task.plan.is_cached(t)}
    missing = {t.plan_id for t in tasks} - plans.keys()
    if missing:
        plans.update(Plan.objects.in_bulk(missing))
    return plans


def causes(
    task: Task, plan: Plan, *, today: datetime.date, calendar: WorkdayCalendar, report_missing: str = ""
) -> dict[str, str]:
    """The warnings the task should have now: kind → reason code ("overdue:2026-12-31", "due:2", "lag:35:91",
    "report:2026-05:2026-05-25"). `report_missing` is the reason code of a missing report, worked out in bulk."""
    if task.state == TaskState.CLOSED:
        return {}
    found: dict[str, str] = {}
    deadline = task.deadline
    if deadline is not None:
        if task.status == TaskStatus.OVERDUE or today > deadline:
            found[Kind.OVERDUE] = f"overdue:{deadline.isoformat()}"
        else:
            left = workdays_left(calendar, today, deadline)
            if left <= plan.yellow_workdays:
                found[Kind.DEADLINE] = f"due:{left}"
            start = plan.start_date or datetime.date(plan.year, 1, 1)
            expected = elapsed_percent(start, deadline, today)
            if task.progress < expected - plan.progress_lag_points:
                found[Kind.PROGRESS] = f"lag:{task.progress}:{expected}"
    if report_missing:
        found[Kind.REPORT] = report_missing
    return found


def _missing_reports(tasks: list[Task], plans: dict[int, Plan], today: datetime.date) -> dict[int, str]:
    """task id → "report:PERIOD:DUE" for open tasks whose lead unit has not reported for the last due period."""
    due_by_plan = {pk: last_due_period(plan, today) for pk, plan in plans.items()}
    candidates = []
    for task in tasks:
        due = due_by_plan.get(task.plan_id)
        if due is None or task.state == TaskState.CLOSED:
            continue
        created = timezone.localdate(task.created_at) if task.created_at else today
        if due[1] < created:  # the task did not exist when that report was due
            continue
        candidates.append(task)
    if not candidates:
        return {}
    leads: dict[int, set[int]] = defaultdict(set)
    for task_id, unit_id in lead_pairs(candidates):
        leads[task_id].add(unit_id)
    reports = reported_pairs([t.pk for t in candidates], {due[0] for due in due_by_plan.values() if due})
    missing = {}
    for task in candidates:
        period, due = due_by_plan[task.plan_id]
        if not any((task.pk, unit, period) in reports for unit in leads[task.pk]):
            missing[task.pk] = f"report:{period}:{due.isoformat()}"
    return missing


# ——— syncing ———


def sync_warnings(tasks: Iterable[Task], now: datetime.datetime) -> dict[str, int]:
    """Open, refresh and resolve the warnings of these tasks (statuses already fresh) as of `now`.

    Reads in a fixed number of queries whatever the number of tasks; writes one statement per kind of change
    (one per distinct new reason). Returns counts of opened / resolved warnings."""
    tasks = [t for t in tasks if t.pk]
    if not tasks:
        return {"opened": 0, "resolved": 0}
    today = timezone.localdate(now)
    calendar = get_calendar()
    plans = _plans_of(tasks)
    missing = _missing_reports(tasks, plans, today)
    wanted: dict[tuple[int, str], str] = {}
    for task in tasks:
        for kind, reason in causes(
            task, plans[task.plan_id], today=today, calendar=calendar, report_missing=missing.get(task.pk, "")
        ).items():
            wanted[(task.pk, kind)] = reason[:200]
    with transaction.atomic():
        open_rows = {
            (task_id, kind): (pk, reason, level)
            for pk, task_id, kind, reason, level in Warning.objects.filter(
                task__in=[t.pk for t in tasks], resolved_at__isnull=True
            ).values_list("pk", "task_id", "kind", "reason", "level")
        }
        resolve = [row[0] for key, row in open_rows.items() if key not in wanted]
        keep, changed = [], defaultdict(list)
        for key, reason in wanted.items():
            row = open_rows.get(key)
            if row is None:
                continue
            if row[1:] != (reason, LEVELS[key[1]]):
                changed[(reason, LEVELS[key[1]])].append(row[0])
            else:
                keep.append(row[0])
        new = [
            Warning(
                task_id=task_id, kind=kind, level=LEVELS[kind], reason=reason, first_seen=now, last_seen=now
            )
            for (task_id, kind), reason in wanted.items()
            if (task_id, kind) not in open_rows
        ]
        if resolve:
            Warning.objects.filter(pk__in=resolve).update(resolved_at=now, last_seen=now)
        # Reasons change daily ("due:2", "lag:35:91"); one UPDATE per distinct reason is far cheaper than a
        # bulk_update, and confirming an unchanged warning is written at most once every LAST_SEEN_STEP.
        for (reason, level), ids in changed.items():
            Warning.objects.filter(pk__in=ids).update(reason=reason, level=level, last_seen=now)
        if keep:
            Warning.objects.filter(pk__in=keep, last_seen__lt=now - LAST_SEEN_STEP).update(last_seen=now)
        if new:
            # A concurrent tick may have opened the same warning a moment ago: the open-row constraint keeps one.
            Warning.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return {"opened": len(new), "resolved": len(resolve)}


def resolve_closed(now: datetime.datetime) -> int:
    """Resolve warnings still open on closed tasks (closed by a path that did not refresh the status)."""
    return Warning.objects.filter(resolved_at__isnull=True, task__state=TaskState.CLOSED).update(
        resolved_at=now, last_seen=now
    )


def open_counts() -> dict[str, int]:
    counts = dict(
        Warning.objects.filter(resolved_at__isnull=True)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
    )
    return {level: counts.get(level, 0) for level in Level.values}


# ——— reading ———


def describe(warning: Warning) -> str:
    """The warning's reason in the reader's language."""
    kind, _sep, rest = (warning.reason or "").partition(":")
    if kind == "report":
        period, _sep, due = rest.partition(":")
        return _("No report from the lead unit for %(period)s (due %(due)s)") % {"period": period, "due": due}
    return describe_reason(warning.reason)


def may_read_warnings(user) -> bool:
    """Supervisors and leaders read every warning; unit users those on their units' tasks; nobody else."""
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def visible_warnings(user):
    """The warnings on tasks the user may see (tasks their units lead or support, or all for the office)."""
    if not may_read_warnings(user):
        return Warning.objects.none()
    if user.sees_all_tasks:
        return Warning.objects.all()
    return Warning.objects.filter(task__in=Task.objects.visible_to(user))
