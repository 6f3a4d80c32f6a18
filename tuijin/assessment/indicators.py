"""Built-in automatic indicators, measured from the task engine and supervision records (see registry.py).

Each measures every unit at once with two or three queries (see records.py for why lead units are joined in
Python). "Led by the unit" means the unit is a lead unit (牵头单位) of the task: the sector leads, departments
support (以块为主、块抓条保). A period that is not over yet is measured up to today.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.supervision.models import Order, Warning
from tuijin.tasks.models import Milestone, Plan, Report, TaskState
from tuijin.tasks.services import period_due
from tuijin.tasks.status import elapsed_percent

from .records import LocalDay, as_of, label, lead_units, moment
from .registry import Measurement, register, source

DEFAULT_WARNING_POINTS = {"yellow": 0.5, "red": 1.0}
DEFAULT_ORDER_POINTS = {"blue": 1.0, "orange": 2.0, "red": 3.0}


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _rate(units, counts: dict[int, list[int]], sources: dict[int, list], formula: str, empty: str):
    """Measurements for rates: counts[unit] = [hits, total]; a unit with nothing to count gets full marks."""
    result = {}
    for unit in units:
        hits, total = counts.get(unit.pk, (0, 0))
        if total:
            value = hits / total
            text = formula % {"hits": hits, "total": total, "rate": _pct(value)}
        else:
            value, text = 1.0, empty
        result[unit.pk] = Measurement(value=value, formula=text, sources=sources.get(unit.pk, []))
    return result


# ——— on-time closure rate ———


def on_time_closure(units, period_start, period_end, tasks, params):
    """Tasks led by the unit whose deadline fell in the period: closed (销号) by the deadline / due."""
    leads = lead_units(u.pk for u in units)
    rows = (
        tasks.filter(deadline__gte=period_start, deadline__lte=as_of(period_end))
        .values_list("id", "code", "number", "title", "deadline", "state", "closed_at")
        .order_by("deadline", "id")
    )
    local_day = LocalDay()
    note, closed_text, open_text = (
        _("deadline %(deadline)s · %(closed)s"),
        _("closed %(day)s"),
        _("not closed"),
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[int, list] = defaultdict(list)
    for pk, code, number, title, deadline, state, closed_at in rows:
        if pk not in leads:
            continue
        closed_on = local_day(closed_at) if state == TaskState.CLOSED else None
        on_time = closed_on is not None and closed_on <= deadline
        text = note % {"deadline": deadline.isoformat(),
                       "closed": closed_text % {"day": closed_on.isoformat()} if closed_on else open_text}  # fmt: skip
        for unit_id in leads[pk]:
            counts[unit_id][0] += on_time
            counts[unit_id][1] += 1
            sources[unit_id].append(source("task", code, label(number, title), text, counted=on_time))
    return _rate(
        units, counts, sources,
        _("closed by the deadline %(hits)s / due in the period %(total)s = %(rate)s"),
        _("no task led by the unit was due in the period: full marks"),
    )  # fmt: skip


# ——— milestone hit rate ———


def milestone_hits(units, period_start, period_end, tasks, params):
    """Milestones (节点) of tasks led by the unit dated in the period: done by their date / due. A milestone
    counts as done on the day the task was closed if nobody marked it done."""
    leads = lead_units(u.pk for u in units)
    rows = (
        Milestone.objects.filter(task__in=tasks.values("pk"), date__gte=period_start, date__lte=as_of(period_end))
        .values_list("task_id", "id", "date", "text", "done_at", "task__code", "task__number", "task__title",
                     "task__state", "task__closed_at")
        .order_by("date", "id")
    )  # fmt: skip
    local_day = LocalDay()
    note, done_text, open_text = (
        _("milestone %(date)s “%(text)s” · %(done)s"),
        _("done %(day)s"),
        _("not done"),
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[int, list] = defaultdict(list)
    for task_id, pk, date, text, done_at, code, number, title, state, closed_at in rows:
        if task_id not in leads:
            continue
        done = done_at or (local_day(closed_at) if state == TaskState.CLOSED else None)
        hit = done is not None and done <= date
        line = note % {"date": date.isoformat(), "text": text[:40],
                       "done": done_text % {"day": done.isoformat()} if done else open_text}  # fmt: skip
        for unit_id in leads[task_id]:
            counts[unit_id][0] += hit
            counts[unit_id][1] += 1
            sources[unit_id].append(source("milestone", pk, label(number, title), line, counted=hit,
                                           task_code=str(code)))  # fmt: skip
    return _rate(
        units, counts, sources,
        _("milestones done by their date %(hits)s / due in the period %(total)s = %(rate)s"),
        _("no milestone of the unit's tasks was due in the period: full marks"),
    )  # fmt: skip


# ——— report timeliness ———


def _candidate_periods(plan: Plan, start: datetime.date, end: datetime.date) -> list[str]:
    if plan.cadence == "weekly":
        monday = start - datetime.timedelta(days=start.weekday() + 7)
        found = []
        while monday <= end:
            iso = monday.isocalendar()
            found.append(f"{iso.year}-W{iso.week:02d}")
            monday += datetime.timedelta(days=7)
        return found
    if plan.cadence == "quarterly":
        return [f"{y}-Q{q}" for y in range(start.year, end.year + 1) for q in range(1, 5)]
    return [f"{y}-{m:02d}" for y in range(start.year, end.year + 1) for m in range(1, 13)]


def periods_due(plan: Plan, start: datetime.date, end: datetime.date) -> list[tuple[str, datetime.date]]:
    """The plan's reporting periods whose report fell due between start and end (inclusive)."""
    due = [(period, period_due(plan, period)) for period in _candidate_periods(plan, start, end)]
    return [(period, day) for period, day in due if start <= day <= end]


def report_timeliness(units, period_start, period_end, tasks, params):
    """Reports due in the period from the unit, as lead unit of each task: filed on time / expected. A task
    expects a report for each reporting period of its plan's cadence due in the period, unless it was created
    after the due day or closed before it. An on-time report wins over a late one for the same period."""
    leads = lead_units(u.pk for u in units)
    last = as_of(period_end)
    rows = list(
        tasks.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment(period_start)),
                     created_at__lt=moment(last + datetime.timedelta(days=1)))
        .values_list("id", "code", "number", "title", "plan_id", "state", "closed_at", "created_at")
        .order_by("id")
    )  # fmt: skip
    plans = {plan.pk: plan for plan in Plan.objects.filter(pk__in={row[4] for row in rows})}
    due_by_plan = {pk: periods_due(plan, period_start, last) for pk, plan in plans.items()}
    periods = {period for due in due_by_plan.values() for period, _day in due}
    filed: dict[tuple[int, int, str], tuple] = {}
    if periods:
        reports = Report.objects.filter(task__in=tasks.values("pk"), period__in=periods).values_list(
            "task_id", "unit_id", "period", "code", "is_late", "created_at"
        )
        for task_id, unit_id, period, code, is_late, created_at in reports.order_by():
            key = (task_id, unit_id, period)
            if key not in filed or filed[key][1]:
                filed[key] = (code, is_late, created_at)
    local_day = LocalDay()
    missing_note = _("%(period)s due %(due)s · missing")
    filed_note, late_text = _("%(period)s due %(due)s · filed %(day)s%(late)s"), " · " + _("late")
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[int, list] = defaultdict(list)
    for pk, code, number, title, plan_id, state, closed_at, created_at in rows:
        if pk not in leads:
            continue
        created_on = local_day(created_at)
        closed_on = local_day(closed_at) if state == TaskState.CLOSED else None
        for period, due in due_by_plan.get(plan_id, []):
            if (created_on and created_on > due) or (closed_on and closed_on <= due):
                continue
            for unit_id in leads[pk]:
                counts[unit_id][1] += 1
                found = filed.get((pk, unit_id, period))
                if found is None:
                    note = missing_note % {"period": period, "due": due.isoformat()}
                    sources[unit_id].append(source("task", code, label(number, title), note, counted=False,
                                                   period=period))  # fmt: skip
                    continue
                on_time = not found[1]
                counts[unit_id][0] += on_time
                note = filed_note % {"period": period, "due": due.isoformat(), "day": local_day(found[2]).isoformat(),
                                     "late": "" if on_time else late_text}  # fmt: skip
                sources[unit_id].append(source("report", found[0], label(number, title), note, counted=on_time,
                                               task_code=str(code), period=period))  # fmt: skip
    return _rate(
        units, counts, sources,
        _("reports filed on time %(hits)s / expected %(total)s = %(rate)s"),
        _("no report was due from the unit in the period: full marks"),
    )  # fmt: skip


# ——— warnings and orders received ———


def _deductions(units, rows, weights: dict, formula: str, empty: str):
    """rows: (unit_id, level, source dict); each row of a weighted level deducts its weight."""
    counted: dict[int, list] = defaultdict(list)
    sources: dict[int, list] = defaultdict(list)
    for unit_id, level, found in rows:
        weight = float(weights.get(level, 0))
        found["counted"] = weight > 0
        found["points"] = -weight
        sources[unit_id].append(found)
        if weight > 0:
            counted[unit_id].append((level, weight))
    result = {}
    for unit in units:
        items = counted.get(unit.pk, [])
        if not items:
            result[unit.pk] = Measurement(
                value=0, points=0.0, formula=empty, sources=sources.get(unit.pk, [])
            )
            continue
        by_level: dict[str, int] = defaultdict(int)
        for level, _weight in items:
            by_level[level] += 1
        terms = " + ".join(f"{n} × {float(weights[level]):g}" for level, n in by_level.items())
        points = -sum(weight for _level, weight in items)
        text = formula % {"n": len(items), "terms": terms, "points": f"{points:g}"}
        result[unit.pk] = Measurement(value=len(items), points=points, formula=text, sources=sources[unit.pk])
    return result


def warnings_received(units, period_start, period_end, tasks, params):
    """Warnings (预警) first raised in the period on tasks the unit leads; each deducts by its level
    (yellow 0.5, red 1 unless params {"points": {…}} say otherwise)."""
    weights = {**DEFAULT_WARNING_POINTS, **params.get("points", {})}
    leads = lead_units(u.pk for u in units)
    rows = (
        Warning.objects.filter(task__in=tasks.values("pk"), first_seen__gte=moment(period_start),
                               first_seen__lt=moment(period_end + datetime.timedelta(days=1)))
        .values_list("task_id", "id", "level", "kind", "first_seen", "task__code", "task__number", "task__title")
        .order_by("first_seen", "id")
    )  # fmt: skip
    names = dict(Warning.Level.choices) | dict(Warning.Kind.choices)
    local_day = LocalDay()
    found = [
        (unit_id, level, source("warning", pk, label(number, title),
                                f"{names[level]} · {names.get(kind, kind)} · {local_day(first_seen)}",
                                task_code=str(code), level=level))
        for task_id, pk, level, kind, first_seen, code, number, title in rows
        for unit_id in leads.get(task_id, ())
    ]  # fmt: skip
    return _deductions(
        units, found, weights,
        _("%(n)s warnings: −(%(terms)s) = %(points)s"),
        _("no warning on the unit's tasks in the period"),
    )  # fmt: skip


def orders_received(units, period_start, period_end, tasks, params):
    """Supervision orders (督办单) issued to the unit in the period, weighted by level (blue 1, orange 2,
    red 3 unless params {"weights": {…}} say otherwise; reminders, interviews and circulars count only if given
    a weight). Withdrawn orders do not count."""
    weights = params.get("weights") or DEFAULT_ORDER_POINTS
    rows = (
        Order.objects.filter(
            unit_id__in=[u.pk for u in units],
            task__in=tasks.values("pk"),
            issued_at__gte=moment(period_start),
            issued_at__lt=moment(period_end + datetime.timedelta(days=1)),
        )
        .exclude(state=Order.State.WITHDRAWN)
        .values_list("unit_id", "id", "level", "year", "number", "issued_at", "task__code", "task__number",
                     "task__title")
        .order_by("issued_at", "id")
    )  # fmt: skip
    names = dict(Order.Level.choices)
    local_day = LocalDay()
    found = []
    for unit_id, pk, level, year, number, issued_at, code, task_number, title in rows:
        doc = f"督办〔{year}〕{number}号 · " if number else ""
        note = f"{doc}{names[level]} · {local_day(issued_at)}"
        found.append(
            (
                unit_id,
                level,
                source("order", pk, label(task_number, title), note, task_code=str(code), level=level),
            )
        )
    return _deductions(
        units, found, weights,
        _("%(n)s orders: −(%(terms)s) = %(points)s"),
        _("no supervision order to the unit in the period"),
    )  # fmt: skip


# ——— progress against time-proportional progress (序时进度) ———


def progress_against_time(units, period_start, period_end, tasks, params):
    """Tasks led by the unit that ran during the period: mean of min(progress / expected, 1), where expected is
    the share of time from the plan's start to the task's deadline that had passed at the period's end. A task
    closed by then counts 1. Progress is the task's progress as last reported."""
    leads = lead_units(u.pk for u in units)
    last = as_of(period_end)
    rows = (
        tasks.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment(period_start)), deadline__isnull=False,
                     created_at__lt=moment(last + datetime.timedelta(days=1)))
        .values_list("id", "code", "number", "title", "deadline", "progress", "state", "closed_at",
                     "plan__start_date", "plan__year")
        .order_by("deadline", "id")
    )  # fmt: skip
    local_day = LocalDay()
    closed_note, open_note = _("closed %(day)s: 1"), _("progress %(p)s%% / expected %(e)s%% → %(r)s")
    ratios: dict[int, list[float]] = defaultdict(list)
    sources: dict[int, list] = defaultdict(list)
    for pk, code, number, title, deadline, progress, state, closed_at, start, year in rows:
        if pk not in leads:
            continue
        closed_on = local_day(closed_at) if state == TaskState.CLOSED else None
        if closed_on and closed_on <= last:
            ratio, note = 1.0, closed_note % {"day": closed_on.isoformat()}
        else:
            expected = elapsed_percent(start or datetime.date(year, 1, 1), deadline, last)
            ratio = 1.0 if expected <= 0 else min(progress / expected, 1.0)
            note = open_note % {"p": progress, "e": expected, "r": f"{ratio:.3f}"}
        for unit_id in leads[pk]:
            ratios[unit_id].append(ratio)
            sources[unit_id].append(source("task", code, label(number, title), note, ratio=round(ratio, 6)))
    result = {}
    for unit in units:
        values = ratios.get(unit.pk, [])
        if values:
            value = sum(values) / len(values)
            text = _("mean of min(progress / expected, 1) over %(n)s tasks = %(rate)s") % {
                "n": len(values),
                "rate": _pct(value),
            }
        else:
            value, text = 1.0, _("no task led by the unit with a deadline ran in the period: full marks")
        result[unit.pk] = Measurement(value=value, formula=text, sources=sources.get(unit.pk, []))
    return result


def register_builtins() -> None:
    register("on_time_closure", gettext_lazy("On-time closure rate"), on_time_closure)
    register("milestone_hits", gettext_lazy("Milestone hit rate"), milestone_hits)
    register("report_timeliness", gettext_lazy("Report timeliness"), report_timeliness)
    register(
        "warnings_received", gettext_lazy("Warnings received"), warnings_received, higher_is_better=False
    )
    register("orders_received", gettext_lazy("Supervision orders received"), orders_received,
             higher_is_better=False)  # fmt: skip
    register("progress_against_time", gettext_lazy("Progress against time-proportional progress"),
             progress_against_time)  # fmt: skip
