"""Exporting a plan's tasks as a list (.xlsx or .csv) in the layout offices exchange, ready to import again."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from tuijin.lib.spreadsheet import write_task_list, write_task_list_csv

from .models import Plan, Task, TaskStatus, TaskUnit

# The list is a Chinese document whatever the reader's language, like its column headings.
STATUS_LABELS = {
    TaskStatus.NORMAL: "正常",
    TaskStatus.WARNING: "预警",
    TaskStatus.OVERDUE: "逾期",
    TaskStatus.CLOSED: "已办结",
}


def export_tasks(plan: Plan, user=None):
    """The plan's tasks in list order: all of them, or only those `user` may see."""
    tasks = Task.objects.filter(plan=plan)
    if user is not None:
        tasks = tasks.visible_to(user)
    return (
        tasks.select_related("latest_report")
        .prefetch_related(
            Prefetch(
                "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "position")
            )
        )
        .order_by("sort_key", "id")
    )


def export_rows(tasks) -> Iterator[dict]:
    """One mapping per task with the keys the spreadsheet writer expects; read in chunks."""
    for task in tasks.iterator(chunk_size=2000):
        units = list(task.task_units.all())
        yield {
            "number": task.number,
            "title": task.title,
            "target": task.target,
            "lead_units": [tu.unit.name for tu in units if tu.role == TaskUnit.LEAD],
            "supporting_units": [tu.unit.name for tu in units if tu.role == TaskUnit.SUPPORT],
            "leader": task.leader,
            "limit_text": task.limit_text,
            "deadline": task.deadline,
            "status": STATUS_LABELS.get(task.status, task.status),
            "latest": task.latest_report.text if task.latest_report_id else "",
        }


def export_filename(plan: Plan, extension: str) -> str:
    """e.g. “2026年中原科技城建设重点任务清单-20261126.xlsx”."""
    name = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in plan.name).strip() or "tasks"
    return f"{name}-{timezone.localdate():%Y%m%d}.{extension}"


def write_export(target, *, plan: Plan, user=None, fmt: str = "xlsx") -> None:
    """Write the plan's list (as `user` sees it) to a path or binary file."""
    rows = export_rows(export_tasks(plan, user))
    if fmt == "csv":
        write_task_list_csv(target, rows=rows)
    else:
        write_task_list(target, title=plan.name, rows=rows)
