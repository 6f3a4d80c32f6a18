"""A task's status — on track / warning / overdue / closed — from its deadline in working days and from
progress against elapsed time (序时进度). Thresholds come from the task's plan."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tuijin.lib.workdays import CalendarMissing, WorkdayCalendar

from .models import Task, TaskState, TaskStatus


@dataclass(frozen=True)
class StatusResult:
    status: str
    reason: str


def elapsed_percent(start: datetime.date, deadline: datetime.date, today: datetime.date) -> int:
    span = (deadline - start).days
    if span <= 0:
        return 100
    return max(0, min(100, round((today - start).days * 100 / span)))


def compute_status(task: Task, *, today: datetime.date, calendar: WorkdayCalendar) -> StatusResult:
    if task.state == TaskState.CLOSED:
        return StatusResult(TaskStatus.CLOSED, "")
    deadline = task.deadline
    if deadline is None:
        return StatusResult(TaskStatus.NORMAL, "")
    plan = task.plan
    if today > deadline:
        return StatusResult(TaskStatus.OVERDUE, f"overdue:{deadline.isoformat()}")
    try:
        left = calendar.workdays_between(today, deadline)
    except CalendarMissing:
        left = (deadline - today).days  # calendar not entered yet: count calendar days rather than fail
    if left <= plan.yellow_workdays:
        return StatusResult(TaskStatus.WARNING, f"due:{left}")
    start = plan.start_date or datetime.date(plan.year, 1, 1)
    expected = elapsed_percent(start, deadline, today)
    if task.progress < expected - plan.progress_lag_points:
        return StatusResult(TaskStatus.WARNING, f"lag:{task.progress}:{expected}")
    return StatusResult(TaskStatus.NORMAL, "")


def describe_reason(reason: str) -> str:
    """The stored reason code ("overdue:2021-06-30", "due:3", "lag:35:91") in the user's language."""
    kind, _sep, rest = (reason or "").partition(":")
    if kind == "overdue":
        return _("Overdue since %(date)s") % {"date": rest}
    if kind == "due":
        return _("%(n)s working days left") % {"n": rest}
    if kind == "lag":
        progress, _sep, expected = rest.partition(":")
        return _("Progress %(p)s%% behind time-proportional %(e)s%%") % {"p": progress, "e": expected}
    return reason
