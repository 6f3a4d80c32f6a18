"""What each cockpit number counts, defined once.

Every number on the cockpit is the size of a list a leader can open. Each definition below is a `Q` on tasks
(or orders); the drill-down list filters the user's scoped tasks with it, and the figures in `services.py`
count with the very same `Q` inside `Count(..., filter=...)` — so the number and the list cannot disagree.
Definitions that are used across a join take a prefix (`"task__"`) rather than being written twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from tuijin.org.models import Role, Unit, UnitKind
from tuijin.supervision.models import Order
from tuijin.tasks.models import Plan, Task, TaskState, TaskStatus, TaskUnit

OPEN_ORDER_STATES = (Order.State.ISSUED, Order.State.RESPONDED)
ORDER_LEVELS = [level for level, _label in Order.Level.choices]


def may_view(user) -> bool:
    """Leaders and the supervision office see the whole cockpit; unit users see their units' share of it."""
    return user.is_authenticated and (user.sees_all_tasks or bool(user.unit_ids(Role.UNIT)))


class Scope:
    """The records one user's cockpit is made of: tasks of one year's plans (or of one plan), as that user may see
    them; supervision orders on those tasks (for unit users only the orders addressed to their units)."""

    def __init__(self, user, *, year: int, plan: Plan | None = None, today: datetime.date):
        self.user, self.year, self.plan, self.today = user, year, plan, today

    @cached_property
    def tasks(self) -> QuerySet[Task]:
        tasks = Task.objects.visible_to(self.user).filter(plan__year=self.year)
        return tasks.filter(plan=self.plan) if self.plan else tasks

    @cached_property
    def orders(self) -> QuerySet[Order]:
        orders = Order.objects.filter(task__in=self.tasks)
        if not self.user.sees_all_tasks:
            orders = orders.filter(unit_id__in=self.user.unit_ids(Role.UNIT))
        return orders

    @property
    def sees_all(self) -> bool:
        return self.user.sees_all_tasks


# ——— definitions (p is "" on tasks, "task__" from TaskUnit) ———


def status_q(status: str = "", p: str = "") -> Q:
    return Q(**{f"{p}status": status}) if status else Q()


def open_q(p: str = "") -> Q:
    return ~Q(**{f"{p}state": TaskState.CLOSED})


def on_time_q(p: str = "") -> Q:
    """Closed (销号) on or before the deadline in force, compared as local dates."""
    return Q(**{f"{p}state": TaskState.CLOSED, f"{p}closed_at__date__lte": F(f"{p}deadline")})


def due_window(
    year: int, today: datetime.date, month: int | None = None
) -> tuple[datetime.date, datetime.date]:
    """[start, end): the deadlines of the year (or of one month) that have already passed by `today`."""
    start = datetime.date(year, month or 1, 1)
    if month is None or month == 12:
        end = datetime.date(year + 1, 1, 1)
    else:
        end = datetime.date(year, month + 1, 1)
    return start, min(end, today)


def due_q(year: int, today: datetime.date, month: int | None = None, p: str = "") -> Q:
    start, end = due_window(year, today, month)
    return Q(**{f"{p}deadline__gte": start, f"{p}deadline__lt": end})


def lead_unit_q(unit_id: int) -> Q:
    return Q(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), role=TaskUnit.LEAD, unit_id=unit_id)))


def lead_kind_q(kind: str) -> Q:
    return Q(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), role=TaskUnit.LEAD, unit__kind=kind)))


def open_order_q(level: str = "") -> Q:
    q = Q(state__in=OPEN_ORDER_STATES)
    return q & Q(level=level) if level else q


# ——— drill-downs ———


@dataclass
class Params:
    """The parameters a cockpit number carries to its list (all optional)."""

    status: str = ""
    unit: Unit | None = None
    kind: str = ""
    month: int | None = None
    level: str = ""

    def query(self) -> dict:
        data = {"status": self.status, "unit": self.unit.pk if self.unit else "", "kind": self.kind,
                "month": self.month or "", "level": self.level}  # fmt: skip
        return {k: v for k, v in data.items() if v not in ("", None)}


TASK_METRICS = ("tasks", "open", "due", "on_time")
METRICS = (*TASK_METRICS, "orders")


def task_metric_q(scope: Scope, metric: str, params: Params) -> Q:
    if metric == "tasks":
        q = status_q(params.status)
        if params.unit is not None:
            q &= lead_unit_q(params.unit.pk)
        if params.kind:
            q &= lead_kind_q(params.kind)
        return q
    if metric == "open":
        return open_q()
    if metric == "due":
        return due_q(scope.year, scope.today, params.month)
    if metric == "on_time":
        return due_q(scope.year, scope.today, params.month) & on_time_q()
    raise KeyError(metric)


def task_list(scope: Scope, metric: str, params: Params) -> QuerySet[Task]:
    """The tasks behind a cockpit number, in the order a leader reads them (most urgent first)."""
    tasks = scope.tasks.filter(task_metric_q(scope, metric, params))
    if metric == "tasks" and params.status == TaskStatus.OVERDUE:
        return tasks.order_by("deadline", "plan__name", "sort_key", "id")
    return tasks.order_by("plan__year", "plan__name", "sort_key", "id")


def order_list(scope: Scope, params: Params) -> QuerySet[Order]:
    return scope.orders.filter(open_order_q(params.level)).order_by("due_date", "-issued_at", "-id")


def describe(metric: str, params: Params, scope: Scope) -> str:
    """The heading of a drill-down list, e.g. “Overdue · led by 中原科技城管委会”."""
    parts = []
    if metric == "tasks":
        parts.append(TaskStatus(params.status).label if params.status else _("All tasks"))
        if params.unit is not None:
            parts.append(_("led by %(unit)s") % {"unit": params.unit.name})
        if params.kind:
            kinds = {
                UnitKind.SECTOR: _("led by a sector"),
                UnitKind.DEPARTMENT: _("led by a municipal department"),
                UnitKind.DISTRICT: _("led by a district"),
                UnitKind.CITY_OFFICE: _("led by a city office"),
                UnitKind.OTHER: _("led by another unit"),
            }
            parts.append(kinds[params.kind])
    elif metric == "open":
        parts.append(_("Open tasks (not yet closed)"))
    elif metric in ("due", "on_time"):
        label = _("Closed by the deadline") if metric == "on_time" else _("Deadline passed")
        start, end = due_window(scope.year, scope.today, params.month)
        last = end - datetime.timedelta(days=1)
        if last < start:
            span = _("no deadline has passed yet")
        else:
            span = _("deadlines %(start)s – %(end)s") % {"start": start.isoformat(), "end": last.isoformat()}
        parts += [label, span]
    elif metric == "orders":
        parts.append(Order.Level(params.level).label if params.level else _("Open supervision orders"))
        if params.level:
            parts.append(_("open"))
    return " · ".join(str(p) for p in parts)
