"""Which reports are in, late or missing for the last few periods of a plan's cadence."""

import datetime
from dataclasses import dataclass

from .models import Plan, Report, TaskState, TaskUnit
from .services import period_due


def recent_periods(cadence: str, today: datetime.date, count: int = 4) -> list[str]:
    """The current period and the ones before it, oldest first: 2026-09 … 2026-11, 2026-Q2 …, 2026-W45 …"""
    periods = []
    if cadence == "weekly":
        monday = today - datetime.timedelta(days=today.weekday())
        for i in range(count):
            iso = (monday - datetime.timedelta(weeks=i)).isocalendar()
            periods.append(f"{iso.year}-W{iso.week:02d}")
    elif cadence == "quarterly":
        year, quarter = today.year, (today.month - 1) // 3 + 1
        for _ in range(count):
            periods.append(f"{year}-Q{quarter}")
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    else:
        year, month = today.year, today.month
        for _ in range(count):
            periods.append(f"{year}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(periods))


@dataclass
class Cell:
    state: str  # "on_time" | "late" | "missing" | "pending" | "not_due"
    report_id: int | None = None


def reporting_grid(plan: Plan, tasks, today: datetime.date) -> tuple[list[str], list[tuple], dict[str, int]]:
    """Rows of (task, [Cell per period]) for the given (visible) tasks; the lead unit's report counts."""
    periods = recent_periods(plan.cadence, today)
    tasks = list(tasks)
    lead_reports: dict[tuple[int, str], tuple[int, bool]] = {}
    lead_pairs = set(
        TaskUnit.objects.filter(task__in=tasks, role=TaskUnit.LEAD).values_list("task_id", "unit_id")
    )
    for report_id, task_id, unit_id, period, is_late in Report.objects.filter(
        task__in=tasks, period__in=periods
    ).values_list("id", "task_id", "unit_id", "period", "is_late"):
        if (task_id, unit_id) in lead_pairs:
            previous = lead_reports.get((task_id, period))
            if previous is None or previous[1]:  # an on-time report wins over a late one
                lead_reports[(task_id, period)] = (report_id, is_late)
    totals = {"on_time": 0, "late": 0, "missing": 0, "pending": 0}
    rows = []
    for task in tasks:
        cells = []
        created = task.created_at.date() if task.created_at else today
        for period in periods:
            due = period_due(plan, period)
            found = lead_reports.get((task.pk, period))
            if found:
                cell = Cell("late" if found[1] else "on_time", found[0])
            elif task.state == TaskState.CLOSED or due < created:
                cell = Cell("not_due")
            elif due >= today:
                cell = Cell("pending")
            else:
                cell = Cell("missing")
            if cell.state in totals:
                totals[cell.state] += 1
            cells.append(cell)
        rows.append((task, cells))
    return periods, rows, totals
