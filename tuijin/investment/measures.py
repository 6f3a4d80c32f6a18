"""Task measures bound to the pipeline (自动统计): a task's measured value and progress computed from projects.

A `MeasureBinding(task, metric, filters)` makes the task's `measured_value` the pipeline figure (counted signings,
their amount, projects landed / started / operating — by the counting rules of models.py) and its `progress`
`measured / task.measure_quantity × 100`, rounded down and capped at 100. They are recomputed

- by every stage move, signing and project edit (services.py calls `refresh_for_project` in its transaction);
- by `refresh_all()`, which `tuijin tick` should call once per pass;
- after any progress report on a bound task (tasks.hooks.after_report): a typed percentage or value is cleared
  from the report and the task keeps the computed figures.

Recomputing is derived data (like warnings): it writes a task timeline entry when the figure changes, no audit row.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.tasks import hooks
from tuijin.tasks.models import Task, TaskEvent, TaskState

from .models import MeasureBinding, Project, Stage

YI = Decimal(10000)  # 万元 in one 亿元

REACHED_STAGE = {
    MeasureBinding.Metric.LANDED_COUNT: Stage.LANDED,
    MeasureBinding.Metric.STARTED_COUNT: Stage.STARTED,
    MeasureBinding.Metric.OPERATING_COUNT: Stage.OPERATING,
}


def binding_for(task: Task) -> MeasureBinding | None:
    """The pipeline measure of this task, if it has one."""
    try:
        return task.investment_measure
    except MeasureBinding.DoesNotExist:
        return None


def projects_for(binding: MeasureBinding):
    """The rows behind the measured figure — the same query the figure counts, for a drill-down link."""
    filters = {"year": binding.year, "sector": binding.sector, "category": binding.category,
               "channel": binding.channel or None}  # fmt: skip
    if binding.metric in REACHED_STAGE:
        return Project.objects.reached(REACHED_STAGE[binding.metric], **filters)
    return Project.objects.counted_signings(**filters)


def compute(binding: MeasureBinding) -> Decimal:
    rows = projects_for(binding)
    if binding.metric == MeasureBinding.Metric.SIGNED_AMOUNT:
        amount = rows.signed_total()["amount"]
        if binding.amount_unit == MeasureBinding.AmountUnit.YI:
            amount = amount / YI
        return amount.quantize(Decimal("0.01"))
    return Decimal(rows.count())


def progress_of(value: Decimal, target: Decimal | None) -> int | None:
    if not target or target <= 0:
        return None
    return min(100, int((value * 100 / target).to_integral_value(rounding=ROUND_DOWN)))


def refresh_binding(binding: MeasureBinding, *, now: datetime.datetime | None = None) -> bool:
    """Recompute one bound task; True when its figures changed. Closed tasks keep their 100 %."""
    from tuijin.tasks.services import refresh_status, roll_up

    now = now or timezone.now()
    task = Task.objects.select_related("plan").get(pk=binding.task_id)
    value = compute(binding)
    progress = progress_of(value, task.measure_quantity)
    old = (task.measured_value, task.progress)
    task.measured_value = value
    if progress is not None and task.state != TaskState.CLOSED:
        task.progress = progress
    changed = old != (task.measured_value, task.progress)
    if changed:
        task.save(update_fields=["measured_value", "progress", "updated_at"])
        TaskEvent.objects.create(
            task=task, kind=TaskEvent.Kind.UPDATED,
            note=_("Measured from the investment pipeline: %(old)s → %(new)s") % {
                "old": _plain(old[0]), "new": _plain(value)},
            data={"source": "investment", "metric": binding.metric, "measured_value": str(value),
                  "progress": task.progress},
        )  # fmt: skip
        refresh_status([task])
        roll_up(task.parent)
    MeasureBinding.objects.filter(pk=binding.pk).update(computed_at=now)
    return changed


def _plain(value) -> str:
    return "—" if value is None else f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def refresh_for_project(project: Project) -> int:
    """After a write to `project`: recompute every binding (a project's sector or category may have just moved it
    out of one filter and into another; bindings are few)."""
    return sum(refresh_binding(b) for b in MeasureBinding.objects.select_related("task"))


def refresh_all(*, now: datetime.datetime | None = None) -> int:
    """Recompute every bound task — for `tuijin tick`. Returns how many changed."""
    changed = 0
    for binding in MeasureBinding.objects.all():
        with transaction.atomic():
            changed += refresh_binding(binding, now=now)
    return changed


def keep_measured_after_report(report) -> None:
    """A bound task's progress is never typed in: clear typed figures from the report, restore the computed ones."""
    binding = binding_for(report.task)
    if binding is None:
        return
    if report.progress is not None or report.value is not None:
        report.progress, report.value = None, None
        report.save(update_fields=["progress", "value"])
    refresh_binding(binding)


def is_measured_automatically(task) -> bool:
    """For the task engine: True when the task's figures come from the pipeline, not from reports."""
    return MeasureBinding.objects.filter(task_id=task.pk).exists()


def register() -> None:
    """Plug into the task engine; safe to call more than once. `measured_elsewhere` is the hook the report form
    asks before offering the percentage and value fields (see the integration notes; absent until added)."""
    if keep_measured_after_report not in hooks.after_report:
        hooks.after_report.append(keep_measured_after_report)
    measured_elsewhere = getattr(hooks, "measured_elsewhere", None)
    if measured_elsewhere is not None and is_measured_automatically not in measured_elsewhere:
        measured_elsewhere.append(is_measured_automatically)
