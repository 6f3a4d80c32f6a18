"""Reminders (催办 notices) to lead units before a task's deadline and before a report is due, and once more the
day after either was missed. Each notice has a key, so running `tuijin tick` again sends nothing new.

Keys:
- `remind:deadline:<task pk>:<deadline>:before|lapsed` — per task; a new deadline (extension) reminds again.
- `remind:report:<plan pk>:<unit pk>:<period>:before|missed` — one notice per unit listing its tasks.

A missed deadline or report is reminded within `LAPSED_WINDOW_DAYS` of the date only, so that a first tick over
old data (an import, a server that was off) does not bury units in notices about things long known; red warnings
and supervision orders carry those on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuijin.core.calendar import get_calendar
from tuijin.notifications.models import Notification
from tuijin.notifications.services import notify_units
from tuijin.org.models import Liaison, Membership, Role
from tuijin.tasks.models import Plan, Task, TaskState
from tuijin.tasks.services import current_period, period_due

from .models import Policy
from .warnings import last_due_period, lead_pairs, lead_pairs_of_ids, reported_pairs, workdays_left

DEFAULT_WORKDAYS_BEFORE = Policy._meta.get_field("remind_workdays_before").default
LAPSED_WINDOW_DAYS = 7
LIST_LIMIT = 10


def _workdays_before(plan_ids) -> dict[int, int]:
    configured = dict(
        Policy.objects.filter(plan_id__in=list(plan_ids)).values_list("plan_id", "remind_workdays_before")
    )
    return {pk: configured.get(pk, DEFAULT_WORKDAYS_BEFORE) for pk in plan_ids}


def _already_sent(keys) -> set[str]:
    keys = list(keys)
    sent: set[str] = set()
    for start in range(0, len(keys), 500):
        sent.update(
            Notification.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True)
        )
    return sent


def _reachable(unit_ids) -> set[int]:
    """The units with someone to notify (an active unit user or liaison officer, as `notify_units` reaches), so
    that units nobody can hear are not tried again on every tick."""
    unit_ids = set(unit_ids)
    members = Membership.objects.filter(role=Role.UNIT, user__is_active=True, unit_id__in=unit_ids)
    liaisons = Liaison.objects.filter(user__is_active=True, unit_id__in=unit_ids)
    return set(members.values_list("unit_id", flat=True)) | set(liaisons.values_list("unit_id", flat=True))


def _task_label(task) -> str:
    return f"{task.number} {task.title}".strip()


# ——— deadlines ———


def remind_deadlines(now: datetime.datetime) -> int:
    """Notify lead units N working days before each open task's deadline (N from the plan's supervision policy)
    and the day after it lapses. Returns how many notices were created."""
    today = timezone.localdate(now)
    open_tasks = Task.objects.exclude(state=TaskState.CLOSED).filter(deadline__isnull=False)
    horizon = max([DEFAULT_WORKDAYS_BEFORE, *Policy.objects.values_list("remind_workdays_before", flat=True)])
    # A generous calendar-day bound; the working-day test below decides.
    tasks = list(
        open_tasks.filter(
            deadline__gte=today - datetime.timedelta(days=LAPSED_WINDOW_DAYS),
            deadline__lte=today + datetime.timedelta(days=horizon * 2 + 14),
        ).select_related("plan")
    )
    if not tasks:
        return 0
    before = _workdays_before({t.plan_id for t in tasks})
    calendar = get_calendar()
    due: dict[str, tuple[Task, str]] = {}
    for task in tasks:
        if task.deadline >= today:
            if workdays_left(calendar, today, task.deadline) > before[task.plan_id]:
                continue
            stage = "before"
        else:
            stage = "lapsed"
        due[f"remind:deadline:{task.pk}:{task.deadline.isoformat()}:{stage}"] = (task, stage)
    sent = _already_sent(due)
    due = {key: value for key, value in due.items() if key not in sent}
    if not due:
        return 0
    pairs = lead_pairs([task for task, _stage in due.values()])
    reachable = _reachable(unit for _task, unit in pairs)
    leads = defaultdict(list)
    for task_id, unit_id in pairs:
        if unit_id in reachable:
            leads[task_id].append(unit_id)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for key, (task, stage) in due.items():
            if leads[task.pk]:
                created += len(_notify_deadline(task, stage, key, leads[task.pk], today, calendar, now))
    return created


def _notify_deadline(task: Task, stage: str, key: str, units, today, calendar, now):
    values = {"task": _task_label(task), "date": task.deadline.isoformat()}
    if stage == "before":
        left = workdays_left(calendar, today, task.deadline)
        if left > 0:
            title = _("%(task)s is due in %(n)s working days") % {**values, "n": left}
        else:
            title = _("%(task)s is due today") % values
        body = (
            _("The deadline is %(date)s. Report progress, or request an extension before it passes.") % values
        )
        level = "yellow"
    else:
        title = _("%(task)s passed its deadline of %(date)s") % values
        body = _("Report why it is not done and when it will be, or ask to close it if it is done.")
        level = "red"
    url = reverse("task_detail", args=[task.code])
    return notify_units(
        units=units, key=key, kind="remind_deadline", title=title, body=body, url=url, level=level, now=now
    )


# ——— reports ———


def _report_stages(plan: Plan, today: datetime.date, workdays_before: int, calendar) -> list[tuple]:
    """(stage, period, due date) for which the plan's lead units should be reminded today."""
    stages = []
    period = current_period(plan.cadence, today)
    due = period_due(plan, period)
    if due >= today and workdays_left(calendar, today, due) <= workdays_before:
        stages.append(("before", period, due))
    last = last_due_period(plan, today)
    if last and (today - last[1]).days <= LAPSED_WINDOW_DAYS:
        stages.append(("missed", *last))
    return stages


def remind_reports(now: datetime.datetime) -> int:
    """Before each report due date remind the lead units of open tasks that have not reported for the period,
    and once more the day after the date if they still have not. One notice per unit, plan and period."""
    today = timezone.localdate(now)
    open_tasks = Task.objects.exclude(state=TaskState.CLOSED)
    rows = list(
        open_tasks.values_list("pk", "plan_id", "number", "title", "created_at").order_by("sort_key", "pk")
    )
    if not rows:
        return 0
    plans = Plan.objects.in_bulk({row[1] for row in rows})
    before = _workdays_before(plans.keys())
    calendar = get_calendar()
    stages = {pk: _report_stages(plan, today, before[pk], calendar) for pk, plan in plans.items()}
    candidates = []  # (task row, stage, period, due)
    for row in rows:
        created = timezone.localdate(row[4]) if row[4] else today
        for stage, period, due in stages[row[1]]:
            if created <= due:
                candidates.append((row, stage, period, due))
    if not candidates:
        return 0
    subquery = open_tasks.values("pk")
    pairs = lead_pairs_of_ids(subquery)
    reachable = _reachable(unit for _task, unit in pairs)
    leads = defaultdict(set)
    for task_id, unit_id in pairs:
        leads[task_id].add(unit_id)
    reports = reported_pairs(subquery, {c[2] for c in candidates})
    missing: dict[tuple, list] = defaultdict(list)
    for row, stage, period, due in candidates:
        units = leads[row[0]]
        if units and not any((row[0], unit, period) in reports for unit in units):
            for unit in units & reachable:
                missing[(row[1], unit, period, stage, due)].append(row)
    keys = {f"remind:report:{plan}:{unit}:{period}:{stage}": (plan, unit, period, stage, due)
            for plan, unit, period, stage, due in missing}  # fmt: skip
    sent = _already_sent(keys)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for key, group in keys.items():
            if key not in sent:
                created += len(_notify_report(plans[group[0]], group, missing[group], key, now))
    return created


def _notify_report(plan: Plan, group: tuple, rows: list, key: str, now):
    _plan, unit, period, stage, due = group
    values = {"plan": plan.name, "period": period, "date": due.isoformat(), "n": len(rows)}
    if stage == "before":
        title = _("Progress reports for %(period)s are due on %(date)s (%(n)s tasks)") % values
        level = "info"
    else:
        title = (
            _("Progress reports for %(period)s were due on %(date)s and are missing (%(n)s tasks)") % values
        )
        level = "yellow"
    lines = [f"- {row[2]} {row[3]}".replace("-  ", "- ") for row in rows[:LIST_LIMIT]]
    if len(rows) > LIST_LIMIT:
        lines.append(_("… and %(count)s more.") % {"count": len(rows) - LIST_LIMIT})
    body = _("Plan: %(plan)s") % values + "\n" + "\n".join(lines)
    url = reverse("plan_reporting", args=[plan.code])
    return notify_units(
        units=[unit], key=key, kind="remind_report", title=title, body=body, url=url, level=level, now=now
    )
