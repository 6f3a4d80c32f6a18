"""Figures of a programme, each in one query whatever the number of activities: readiness (signed checklist
items ÷ items) and preparation tasks by status, per activity and per category, as the task engine rates them."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from tuijin.tasks.models import Task, TaskStatus

from .models import ActivityTask, ChecklistItem, Programme

STATUSES = list(TaskStatus.values)


def percent(signed: int, total: int) -> int | None:
    return round(signed * 100 / total) if total else None


def readiness_by_activity(activity_ids) -> dict[int, tuple[int, int]]:
    """activity id → (signed items, items)."""
    rows = (
        ChecklistItem.objects.filter(activity_id__in=list(activity_ids))
        .order_by()
        .values("activity_id")
        .annotate(total=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False)))
    )
    return {r["activity_id"]: (r["signed"], r["total"]) for r in rows}


def readiness_by_programme(programme_ids) -> dict[int, tuple[int, int]]:
    """programme id → (signed items, items) over all its activities."""
    rows = (
        ChecklistItem.objects.filter(activity__programme_id__in=list(programme_ids))
        .order_by()
        .values("activity__programme_id")
        .annotate(total=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False)))
    )
    return {r["activity__programme_id"]: (r["signed"], r["total"]) for r in rows}


def _empty() -> dict[str, int]:
    return {s: 0 for s in STATUSES} | {"total": 0}


def task_counts(user, programme: Programme) -> dict:
    """Preparation tasks the user can see, by status: `total`, `by_activity` {id: counts}, `by_category`
    {name: counts} in the programme's category order, and `general` for tasks of the plan tied to no activity."""
    visible = Task.objects.visible_to(user)
    total = _empty()
    by_activity: dict[int, dict[str, int]] = defaultdict(_empty)
    by_category: dict[str, dict[str, int]] = {c: _empty() for c in programme.categories or []}
    linked = (
        ActivityTask.objects.filter(activity__programme=programme, task__in=visible)
        .order_by()
        .values("activity_id", "category", "task__status")
        .annotate(n=Count("id"))
    )
    for row in linked:
        status, n = row["task__status"], row["n"]
        for bucket in (
            total,
            by_activity[row["activity_id"]],
            by_category.setdefault(row["category"], _empty()),
        ):
            bucket[status] += n
            bucket["total"] += n
    general = _empty()
    for status, n in (
        visible.filter(plan_id=programme.plan_id, activity_link__isnull=True)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    ):
        general[status] += n
        general["total"] += n
    return {"total": total, "by_activity": dict(by_activity), "by_category": by_category, "general": general}
