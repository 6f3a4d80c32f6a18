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


EXPORT_CHUNK = 2000
TASK_COLUMNS = ("id", "number", "title", "target", "leader", "limit_text", "deadline", "status", "latest_report__text")


def export_rows(tasks) -> Iterator[dict]:
    """One mapping per task with the keys the spreadsheet writer expects; read in chunks of plain values, each
    chunk's units in one more query. No model instances: at 20,000 tasks building them took more time than writing
    the workbook (bench/run.py)."""
    rows = tasks.select_related(None).prefetch_related(None).values_list(*TASK_COLUMNS)
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _with_units(chunk)
            chunk = []
    if chunk:
        yield from _with_units(chunk)


def _with_units(chunk: list[tuple]) -> Iterator[dict]:
    units: dict[int, tuple[list[str], list[str]]] = {row[0]: ([], []) for row in chunk}
    found = (
        TaskUnit.objects.filter(task_id__in=list(units))
        .order_by("role", "position", "id")
        .values_list("task_id", "role", "unit__name")
    )
    for task_id, role, name in found:
        units[task_id][0 if role == TaskUnit.LEAD else 1].append(name)
    for pk, number, title, target, leader, limit_text, deadline, status, latest in chunk:
        lead, supporting = units[pk]
        yield {
            "number": number,
            "title": title,
            "target": target,
            "lead_units": lead,
            "supporting_units": supporting,
            "leader": leader,
            "limit_text": limit_text,
            "deadline": deadline,
            "status": STATUS_LABELS.get(status, status),
            "latest": latest or "",
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
