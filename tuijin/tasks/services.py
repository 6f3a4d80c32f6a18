"""Writes to plans and tasks. Each function checks, validates, saves and audits in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.core.calendar import get_calendar
from tuijin.lib.deadlines import parse_limit

from . import hooks
from .access import allowed_actions, user_units_on
from .evidence import CheckedFile, save_evidence
from .models import (
    ExtensionRequest,
    LimitKind,
    Milestone,
    Plan,
    Report,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)
from .numbering import sort_key
from .status import compute_status


class TransitionError(Exception):
    """The action is not allowed for this user or task now; the message says why, for the user."""


TASK_AUDIT_FIELDS = [
    "number", "category", "title", "target", "leader", "owner", "source_kind", "source_ref", "limit_text",
    "deadline", "original_deadline", "state", "progress", "status", "tags", "parent_id",
]  # fmt: skip


def _require(user, task: Task, action: str) -> None:
    if action not in allowed_actions(user, task):
        raise TransitionError(
            _("You cannot do this on task %(number)s now.") % {"number": task.number or task.pk}
        )


def _event(task: Task, kind: str, actor, note: str = "", unit=None, **data) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, actor=actor, unit=unit, note=note, data=data)


# ——— status ———


def refresh_status(tasks: Iterable[Task], *, today: datetime.date | None = None) -> int:
    """Recompute and store the status of the given tasks; returns how many changed. Listeners in
    `hooks.after_status_refresh` see every task looked at (a warning may change without the status changing)."""
    today = today or timezone.localdate()
    calendar = get_calendar()
    tasks = list(tasks)
    changed = []
    for task in tasks:
        result = compute_status(task, today=today, calendar=calendar)
        if (task.status, task.status_reason) != (result.status, result.reason[:200]):
            task.status, task.status_reason = result.status, result.reason[:200]
            changed.append(task)
    Task.objects.bulk_update(changed, ["status", "status_reason"], batch_size=500)
    if tasks and hooks.after_status_refresh:
        now = timezone.now()
        if today != timezone.localdate():  # a moved clock (tick --now, tests): keep listeners on that day
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        for listener in hooks.after_status_refresh:
            listener(tasks, now)
    return len(changed)


def refresh_all_statuses(*, today: datetime.date | None = None) -> int:
    total = 0
    qs = Task.objects.exclude(state=TaskState.CLOSED, status="closed").select_related("plan").order_by("pk")
    batch: list[Task] = []
    for task in qs.iterator(chunk_size=2000):
        batch.append(task)
        if len(batch) == 2000:
            total += refresh_status(batch, today=today)
            batch = []
    return total + refresh_status(batch, today=today)


def roll_up(task: Task | None) -> None:
    """A parent's progress is the mean of its children's (closed children count as 100 %)."""
    while task is not None:
        children = list(task.children.values_list("progress", "state"))
        if not children:
            return
        values = [100 if state == TaskState.CLOSED else progress for progress, state in children]
        task.progress = round(sum(values) / len(values))
        task.save(update_fields=["progress", "updated_at"])
        refresh_status([task])
        task = task.parent


# ——— plans and tasks ———


@transaction.atomic
def create_plan(*, actor, **fields) -> Plan:
    plan = Plan.objects.create(**fields)
    record(actor=actor, action="plan.create", obj=plan, after=snapshot(plan))
    return plan


@transaction.atomic
def update_plan(*, actor, plan: Plan, **fields) -> Plan:
    before = snapshot(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    record(actor=actor, action="plan.update", obj=plan, before=before, after=snapshot(plan))
    refresh_status(plan.tasks.select_related("plan"))
    return plan


def apply_limit(task: Task, text: str, year: int) -> list[tuple[datetime.date, str]]:
    """Set the time-limit fields from the phrase as written; return the milestones it names."""
    parsed = parse_limit(text or "", year)
    task.limit_text = (text or "").strip()[:300]
    task.limit_kind = parsed.kind if parsed.kind in LimitKind.values else LimitKind.UNKNOWN
    task.limit_note = parsed.message[:300]
    task.deadline = parsed.deadline
    task.cadence_period = parsed.cadence.period if parsed.cadence else ""
    task.cadence_day = parsed.cadence.day if parsed.cadence else None
    task.relative_workdays = parsed.relative_workdays
    if parsed.relative_workdays and task.deadline is None:
        try:
            task.deadline = get_calendar().add_workdays(timezone.localdate(), parsed.relative_workdays)
        except Exception:  # calendar missing for that year: leave the date for a person to set
            task.deadline = None
    return [(m.date, m.text) for m in parsed.milestones] if len(parsed.milestones) > 1 else []


def set_units(task: Task, lead: Sequence, supporting: Sequence) -> None:
    TaskUnit.objects.filter(task=task).delete()
    seen = set()
    rows = []
    for role, units in ((TaskUnit.LEAD, lead), (TaskUnit.SUPPORT, supporting)):
        for position, unit in enumerate(units):
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            rows.append(TaskUnit(task=task, unit=unit, role=role, position=position))
    TaskUnit.objects.bulk_create(rows)


def set_milestones(task: Task, milestones: Sequence[tuple[datetime.date, str]]) -> None:
    task.milestones.all().delete()
    Milestone.objects.bulk_create([Milestone(task=task, date=d, text=t[:300]) for d, t in milestones])


@transaction.atomic
def create_task(
    *, actor, plan: Plan, title: str, lead_units: Sequence, supporting_units: Sequence = (), limit_text: str = "",
    parent: Task | None = None, **fields,
) -> Task:  # fmt: skip
    if not lead_units:
        raise TransitionError(_("A task needs at least one lead unit."))
    task = Task(plan=plan, title=title, parent=parent, **fields)
    task.sort_key = sort_key(task.number)
    milestones = apply_limit(task, limit_text, plan.year)
    task.save()
    set_units(task, lead_units, supporting_units)
    set_milestones(task, milestones)
    _event(task, TaskEvent.Kind.CREATED, actor)
    refresh_status([task])
    record(actor=actor, action="task.create", obj=task, after=_task_snapshot(task))
    return task


def _task_snapshot(task: Task) -> dict:
    data = snapshot(task, TASK_AUDIT_FIELDS)
    data["lead_units"] = [u.name for u in task.units_with_role(TaskUnit.LEAD)] if task.pk else []
    data["supporting_units"] = [u.name for u in task.units_with_role(TaskUnit.SUPPORT)] if task.pk else []
    return data


@transaction.atomic
def update_task(
    *, actor, task: Task, lead_units: Sequence | None = None, supporting_units: Sequence | None = None,
    limit_text: str | None = None, **fields,
) -> Task:  # fmt: skip
    _require(actor, task, "edit")
    before = _task_snapshot(task)
    for name, value in fields.items():
        setattr(task, name, value)
    task.sort_key = sort_key(task.number)
    if limit_text is not None and limit_text.strip() != task.limit_text:
        set_milestones(task, apply_limit(task, limit_text, task.plan.year))
    task.save()
    if lead_units is not None:
        set_units(task, lead_units, supporting_units or [])
        task = Task.objects.for_list().get(pk=task.pk)
    refresh_status([task])
    after = _task_snapshot(task)
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    _event(task, TaskEvent.Kind.UPDATED, actor, fields=sorted(changed))
    record(actor=actor, action="task.update", obj=task, before=before, after=after)
    return task


# ——— lifecycle ———


@transaction.atomic
def acknowledge(*, actor, task: Task) -> Task:
    _require(actor, task, "acknowledge")
    before = {"state": task.state}
    task.state = TaskState.IN_PROGRESS
    task.save(update_fields=["state", "updated_at"])
    units = user_units_on(actor, task, TaskUnit.LEAD)
    _event(task, TaskEvent.Kind.ACKNOWLEDGED, actor, unit=units[0] if units else None)
    record(actor=actor, action="task.acknowledge", obj=task, before=before, after={"state": task.state})
    return task


def current_period(cadence: str, day: datetime.date) -> str:
    if cadence == "weekly":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if cadence == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def period_due(plan: Plan, period: str) -> datetime.date:
    """The date a period's report is due: Tuesday of the week, the plan's day of the month, quarter end."""
    if "-W" in period:
        year, week = period.split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 2)
    if "-Q" in period:
        year, quarter = period.split("-Q")
        month = int(quarter) * 3
        nxt = datetime.date(int(year) + (month == 12), month % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    year, month = (int(x) for x in period.split("-"))
    return datetime.date(year, month, min(plan.report_day, 28))


def previous_period(cadence: str, day: datetime.date) -> str:
    if cadence == "weekly":
        return current_period(cadence, day - datetime.timedelta(weeks=1))
    if cadence == "quarterly":
        first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return current_period(cadence, first - datetime.timedelta(days=1))
    return current_period(cadence, day.replace(day=1) - datetime.timedelta(days=1))


def reportable_periods(task: Task, unit, today: datetime.date) -> list[str]:
    """The current period, and the previous one while this unit still owes its report for it (a late report
    then fills the gap instead of landing in the next period)."""
    current = current_period(task.plan.cadence, today)
    previous = previous_period(task.plan.cadence, today)
    owed = not task.reports.filter(unit=unit, period=previous).exists()
    return (
        [current, previous]
        if owed and task.created_at.date() <= period_due(task.plan, previous)
        else [current]
    )


@transaction.atomic
def submit_report(
    *, actor, task: Task, text: str, progress: int | None = None, value=None, files: Sequence[CheckedFile] = (),
    consolidated: bool = False, period: str | None = None,
) -> Report:  # fmt: skip
    _require(actor, task, "report")
    units = user_units_on(actor, task, TaskUnit.LEAD) or user_units_on(actor, task)
    unit = units[0]
    is_lead = any(tu.role == TaskUnit.LEAD and tu.unit_id == unit.pk for tu in task.task_units.all())
    today = timezone.localdate()
    allowed = reportable_periods(task, unit, today)
    period = period or allowed[0]
    if period not in allowed:
        raise TransitionError(
            _("Reports can be filed for %(periods)s only.") % {"periods": "、".join(allowed)}
        )
    report = Report.objects.create(
        task=task, unit=unit, author=actor, period=period, text=text, progress=progress, value=value,
        is_late=today > period_due(task.plan, period), is_consolidated=consolidated and is_lead,
    )  # fmt: skip
    for checked in files:
        save_evidence(task=task, report=report, actor=actor, checked=checked)
    before = {"progress": task.progress, "measured_value": task.measured_value}
    if is_lead:
        # The lead unit's figure is the task's; supporting units report their part beside it.
        if progress is not None:
            task.progress = progress
        if value is not None:
            task.measured_value = value
        task.latest_report = report
        task.save(update_fields=["progress", "measured_value", "latest_report", "updated_at"])
    elif task.latest_report_id is None:
        task.latest_report = report
        task.save(update_fields=["latest_report", "updated_at"])
    _event(
        task, TaskEvent.Kind.REPORTED, actor, unit=unit, note=text[:500], progress=progress, files=len(files)
    )
    refresh_status([task])
    roll_up(task.parent)
    for listener in hooks.after_report:
        listener(report)
    record(
        actor=actor, action="report.create", obj=report,
        before=before, after={"progress": task.progress, "text": text, "files": [f.name for f in files]},
    )  # fmt: skip
    return report


@transaction.atomic
def request_closure(*, actor, task: Task, note: str, files: Sequence[CheckedFile] = ()) -> Task:
    _require(actor, task, "request_closure")
    for checked in files:
        save_evidence(task=task, report=None, actor=actor, checked=checked)
    if not task.evidence.exists():
        raise TransitionError(
            _("Attach evidence (photos or documents) that the task is done before asking to close it.")
        )
    task.state = TaskState.CLOSURE_REQUESTED
    task.save(update_fields=["state", "updated_at"])
    _event(task, TaskEvent.Kind.CLOSURE_REQUESTED, actor, note=note, files=len(files))
    record(actor=actor, action="task.request_closure", obj=task, before={"state": "in_progress"},
           after={"state": task.state, "note": note})  # fmt: skip
    return task


@transaction.atomic
def close_task(*, actor, task: Task, note: str = "") -> Task:
    _require(actor, task, "close")
    task.state = TaskState.CLOSED
    task.closed_at = timezone.now()
    task.progress = 100
    task.save(update_fields=["state", "closed_at", "progress", "updated_at"])
    _event(task, TaskEvent.Kind.CLOSED, actor, note=note)
    refresh_status([task])
    roll_up(task.parent)
    record(
        actor=actor,
        action="task.close",
        obj=task,
        before={"state": "closure_requested"},
        after={"state": "closed"},
    )
    return task


@transaction.atomic
def return_task(*, actor, task: Task, reason: str) -> Task:
    _require(actor, task, "return")
    if not reason.strip():
        raise TransitionError(_("Say why the task is returned."))
    task.state = TaskState.IN_PROGRESS
    task.save(update_fields=["state", "updated_at"])
    _event(task, TaskEvent.Kind.RETURNED, actor, note=reason)
    record(actor=actor, action="task.return", obj=task, before={"state": "closure_requested"},
           after={"state": task.state, "reason": reason})  # fmt: skip
    return task


@transaction.atomic
def request_extension(*, actor, task: Task, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    _require(actor, task, "request_extension")
    today = timezone.localdate()
    if task.deadline is None or today > task.deadline:
        raise TransitionError(_("An extension must be requested before the deadline; this one has passed."))
    if new_deadline <= task.deadline:
        raise TransitionError(
            _("The new deadline must be later than the current one (%(d)s).") % {"d": task.deadline}
        )
    if not reason.strip():
        raise TransitionError(_("Give the reason for the extension."))
    ext = ExtensionRequest.objects.create(
        task=task, requested_by=actor, old_deadline=task.deadline, new_deadline=new_deadline, reason=reason
    )
    _event(
        task, TaskEvent.Kind.EXTENSION_REQUESTED, actor, note=reason, new_deadline=new_deadline.isoformat()
    )
    record(actor=actor, action="extension.request", obj=ext, after=snapshot(ext))
    return ext


@transaction.atomic
def decide_extension(
    *, actor, extension: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    task = Task.objects.for_list().get(pk=extension.task_id)
    _require(actor, task, "decide_extension")
    if extension.state != ExtensionRequest.State.PENDING:
        raise TransitionError(_("This extension request has already been decided."))
    before = snapshot(extension)
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note
    extension.save()
    if approve:
        if task.original_deadline is None:
            task.original_deadline = task.deadline
        task.deadline = extension.new_deadline
        task.save(update_fields=["deadline", "original_deadline", "updated_at"])
        refresh_status([task])
    kind = TaskEvent.Kind.EXTENSION_APPROVED if approve else TaskEvent.Kind.EXTENSION_REJECTED
    _event(task, kind, actor, note=note, new_deadline=extension.new_deadline.isoformat())
    record(actor=actor, action="extension.decide", obj=extension, before=before, after=snapshot(extension))
    return extension


@transaction.atomic
def add_attachment(*, actor, task: Task, checked: CheckedFile):
    if "edit" not in allowed_actions(actor, task) and not (
        {"report", "request_closure"} & allowed_actions(actor, task)
    ):
        raise TransitionError(_("You cannot add files to this task."))
    evidence = save_evidence(task=task, report=None, actor=actor, checked=checked)
    _event(task, TaskEvent.Kind.EVIDENCE_ADDED, actor, note=checked.name)
    record(
        actor=actor,
        action="evidence.create",
        obj=evidence,
        after={"name": checked.name, "sha256": checked.sha256},
    )
    return evidence
