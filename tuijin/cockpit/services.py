"""The cockpit's figures, computed with a fixed number of queries whatever the amount of data.

Each count uses the definition in `metrics.py` that its drill-down list filters with, and carries the URL of
that list. Reads only: the cockpit changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Subquery
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from tuijin.core.calendar import get_calendar
from tuijin.lib.workdays import CalendarMissing
from tuijin.org.models import Unit, UnitKind
from tuijin.tasks.models import Evidence, TaskStatus, TaskUnit

from . import metrics
from .metrics import Params, Scope
from .rankings import latest_rankings

STATUSES = [TaskStatus.NORMAL, TaskStatus.WARNING, TaskStatus.OVERDUE, TaskStatus.CLOSED]
RED_LIST_SIZE = 10


@dataclass
class Figure:
    """A number and the list it counts."""

    value: int
    url: str

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class Row:
    label: str
    total: Figure
    cells: list[Figure]
    title: str = ""
    is_group: bool = False
    unit_id: int | None = None


@dataclass
class Month:
    year: int
    month: int
    due: Figure
    on_time: Figure

    @property
    def label(self) -> str:
        return formats.date_format(datetime.date(self.year, self.month, 1), "M")

    @property
    def rate(self) -> float | None:
        return round(self.on_time.value * 100 / self.due.value, 1) if self.due.value else None


@dataclass
class Cockpit:
    scope: Scope
    counts: dict[str, Figure]
    months: list[Month]
    orders: list[tuple[str, str, Figure]]
    red_list: list
    ranking: object
    days_left: int | None
    workdays_left: int | None
    computed_at: datetime.datetime
    figures: dict = field(default_factory=dict, repr=False)
    # Set when the figures come from a snapshot: the page keeps its rendering of the parts that grow with the
    # number of units (the matrix, the photo wall) under this key until the snapshot is recounted.
    cache_key: str = ""

    # The parts that grow with the number of sectors are built when first used: not at all when the page's
    # rendering of them is kept (cache_key).
    @cached_property
    def sectors(self) -> list[Unit]:
        return list(Unit.objects.filter(kind=UnitKind.SECTOR).order_by("sort_order", "name"))

    @cached_property
    def rows(self) -> list[Row]:
        return matrix(self.scope, self.sectors, self.figures["by_unit"], self.figures["by_kind"])

    @cached_property
    def photos(self) -> list[tuple[Unit, Evidence]]:
        return photo_wall(self.sectors, self.figures["photos"])

    @property
    def status_figures(self) -> list[tuple[str, str, Figure]]:
        return [(s, TaskStatus(s).label, self.counts[s]) for s in STATUSES]

    @property
    def on_time_rate(self) -> float | None:
        due, on_time = self.counts["due"].value, self.counts["on_time"].value
        return round(on_time * 100 / due, 1) if due else None

    @property
    def open_orders(self) -> Figure:
        """All open orders: the sum of the levels, and the list of them all."""
        total = sum(f.value for _level, _label, f in self.orders)
        return Figure(total, list_url(self.scope, "orders"))


_URLS: dict[tuple, str] = {}


def _reverse(name: str, *args) -> str:
    """reverse(), remembered per script prefix: a province's matrix carries about two thousand drill-down links."""
    key = (get_script_prefix(), name, args)
    if key not in _URLS:
        _URLS[key] = reverse(name, args=args or None)
    return _URLS[key]


def list_url(scope: Scope, metric: str, params: Params | None = None) -> str:
    """Where a number drills down to: the task list itself when its filters say exactly the same thing (a plan
    and a status), else the cockpit's own list of that metric."""
    params = params or Params()
    if metric == "tasks" and scope.plan and params.unit is None and not params.kind:
        query = {"plan": scope.plan.code, **({"status": params.status} if params.status else {})}
        return f"{_reverse('task_list')}?{urlencode(query)}"
    query = {"year": scope.year, **({"plan": scope.plan.code} if scope.plan else {}), **params.query()}
    return f"{_reverse('cockpit_list', metric)}?{urlencode(query)}"


def _figure(scope: Scope, value: int | None, metric: str, **params) -> Figure:
    return Figure(value or 0, list_url(scope, metric, Params(**params)))


# ——— counting (the slow part: kept in a Snapshot, see models.py and snapshots.py) ———


def count_headline(scope: Scope) -> dict[str, int]:
    """Tasks by status, open, with a passed deadline, closed on time — one query."""
    year, today = scope.year, scope.today
    due = metrics.due_q(year, today)
    return scope.tasks.aggregate(
        total=Count("id"),
        **{s: Count("id", filter=metrics.status_q(s)) for s in STATUSES},
        open=Count("id", filter=metrics.open_q()),
        due=Count("id", filter=due),
        on_time=Count("id", filter=due & metrics.on_time_q()),
    )


def _lead_counts(leads, key: str) -> dict[str, dict]:
    """{str(key value): {"n": tasks, status: tasks…}} over the lead responsibilities grouped by `key`."""
    per_status = {s: Count("task", distinct=True, filter=metrics.status_q(s, "task__")) for s in STATUSES}
    rows = leads.values(key).annotate(n=Count("task", distinct=True), **per_status)
    return {str(row.pop(key)): row for row in rows}


def count_matrix(scope: Scope) -> tuple[dict, dict]:
    """Tasks by lead sector and by the kind of the other lead units, each by status — two queries."""
    leads = TaskUnit.objects.filter(role=TaskUnit.LEAD, task__in=scope.tasks).order_by()
    by_unit = _lead_counts(leads.filter(unit__kind=UnitKind.SECTOR), "unit_id")
    by_kind = _lead_counts(leads.exclude(unit__kind=UnitKind.SECTOR), "unit__kind")
    return by_unit, by_kind


def trend_months(scope: Scope) -> range:
    """The months of the year whose deadlines have begun to pass."""
    year, today = scope.year, scope.today
    if year > today.year:
        return range(1, 1)
    return range(1, (12 if year < today.year else today.month) + 1)


def count_trend(scope: Scope) -> dict[str, int]:
    """For each month of `trend_months`: the tasks due that month, and those of them closed by their deadline —
    one query."""
    year, today = scope.year, scope.today
    months = trend_months(scope)
    if not months:
        return {}
    return scope.tasks.aggregate(
        **{f"due_{m}": Count("id", filter=metrics.due_q(year, today, m)) for m in months},
        **{
            f"on_time_{m}": Count("id", filter=metrics.due_q(year, today, m) & metrics.on_time_q())
            for m in months
        },
    )


def count_orders(scope: Scope) -> dict[str, int]:
    return dict(
        scope.orders.filter(metrics.open_order_q()).order_by().values_list("level").annotate(n=Count("id"))
    )


def latest_photos(scope: Scope) -> dict[str, int]:
    """{str(sector id): id of the latest photo on a task it leads}, for the sectors that have one.

    The year (and plan) are joined rather than given as `task__in=scope.tasks` for those who see every task: the
    IN-list made SQLite walk every task of the year for each sector (twice the time at city scale, bench/)."""
    photos = Evidence.objects.filter(
        kind=Evidence.Kind.PHOTO,
        task__plan__year=scope.year,
        task__task_units__role=TaskUnit.LEAD,
        task__task_units__unit=OuterRef("pk"),
    )
    if scope.plan:
        photos = photos.filter(task__plan=scope.plan)
    if not scope.sees_all:
        photos = photos.filter(task__in=scope.tasks)
    latest = photos.order_by("-created_at", "-id").values("pk")[:1]
    found = Unit.objects.filter(kind=UnitKind.SECTOR).annotate(photo_id=Subquery(latest)).order_by()
    return {str(pk): photo for pk, photo in found.values_list("pk", "photo_id") if photo}


def compute_figures(scope: Scope) -> dict:
    """Every count the cockpit shows, and the ids of the red list and the photo wall: JSON, kept in a Snapshot.
    Seven queries, each over the scope's year of tasks."""
    by_unit, by_kind = count_matrix(scope)
    red_list = metrics.task_list(scope, "tasks", Params(status=TaskStatus.OVERDUE))
    return {
        "headline": count_headline(scope),
        "by_unit": by_unit,
        "by_kind": by_kind,
        "trend": count_trend(scope),
        "orders": count_orders(scope),
        "red_list": list(red_list.values_list("pk", flat=True)[:RED_LIST_SIZE]),
        "photos": latest_photos(scope),
    }


# ——— assembling the page from the figures (a handful of small queries) ———


def headline(scope: Scope, counts: dict[str, int]) -> dict[str, Figure]:
    figures = {"total": _figure(scope, counts["total"], "tasks")}
    figures |= {s: _figure(scope, counts[s], "tasks", status=s) for s in STATUSES}
    figures |= {m: _figure(scope, counts[m], m) for m in ("open", "due", "on_time")}
    return figures


# Units other than sectors are shown one row per kind: a wall screen cannot hold 19 departments.
GROUP_LABELS = {
    UnitKind.DEPARTMENT: gettext_lazy("All municipal departments"),
    UnitKind.DISTRICT: gettext_lazy("All districts"),
    UnitKind.CITY_OFFICE: gettext_lazy("All city offices"),
    UnitKind.OTHER: gettext_lazy("All other units"),
}


def matrix(scope: Scope, sectors: list[Unit], by_unit: dict, by_kind: dict) -> list[Row]:
    """Rows of tasks by lead unit — one per sector, one per other kind of unit — and columns by status.
    A task led jointly counts in each lead unit's row; the total row counts every task once."""
    rows = []
    for unit in sectors:
        found = by_unit.get(str(unit.pk), {})
        # Leaders see every active sector, even one with nothing yet; units see the rows of their tasks.
        if not found and (not scope.sees_all or not unit.is_active):
            continue
        rows.append(
            Row(
                label=unit.short_name or unit.name,
                title=unit.name,
                unit_id=unit.pk,
                total=_figure(scope, found.get("n"), "tasks", unit=unit),
                cells=[_figure(scope, found.get(s), "tasks", unit=unit, status=s) for s in STATUSES],
            )
        )
    for kind, label in GROUP_LABELS.items():
        found = by_kind.get(str(kind), {})
        if not found and (kind not in (UnitKind.DEPARTMENT, UnitKind.DISTRICT) or not scope.sees_all):
            continue
        rows.append(
            Row(
                label=str(label),
                is_group=True,
                total=_figure(scope, found.get("n"), "tasks", kind=kind),
                cells=[_figure(scope, found.get(s), "tasks", kind=kind, status=s) for s in STATUSES],
            )
        )
    return rows


def trend(scope: Scope, counts: dict[str, int]) -> list[Month]:
    return [
        Month(
            year=scope.year,
            month=m,
            due=_figure(scope, counts.get(f"due_{m}"), "due", month=m),
            on_time=_figure(scope, counts.get(f"on_time_{m}"), "on_time", month=m),
        )
        for m in trend_months(scope)
    ]


def open_orders(scope: Scope, found: dict[str, int]) -> list[tuple[str, str, Figure]]:
    return [(level, label, _figure(scope, found.get(level), "orders", level=level))
            for level, label in metrics.Order.Level.choices]  # fmt: skip


def red_list(scope: Scope, ids: list[int]) -> list:
    """The red list's tasks, in the snapshot's order, as the user may still see them; with their days late."""
    found = {task.pk: task for task in scope.tasks.filter(pk__in=ids).for_list()}
    tasks = [found[pk] for pk in ids if pk in found]
    for task in tasks:
        task.days_late = (scope.today - task.deadline).days if task.deadline else None
    return tasks


def photo_wall(sectors: list[Unit], photo_ids: dict[str, int]) -> list[tuple[Unit, Evidence]]:
    """形象进度: the latest photo of each sector, newest first."""
    photos = Evidence.objects.filter(pk__in=set(photo_ids.values())).select_related("task")
    by_id = {photo.pk: photo for photo in photos}
    # A task led jointly by several sectors may give them the same latest photo: each sector shows it.
    wall = [
        (unit, by_id[photo_ids[str(unit.pk)]]) for unit in sectors if by_id.get(photo_ids.get(str(unit.pk)))
    ]
    return sorted(wall, key=lambda pair: (pair[1].created_at, pair[1].pk), reverse=True)


def countdown(scope: Scope) -> tuple[int | None, int | None]:
    """Days and working days left in the year after today; None unless the cockpit shows the current year."""
    today = scope.today
    if scope.year != today.year:
        return None, None
    year_end = datetime.date(today.year, 12, 31)
    try:
        workdays = get_calendar().workdays_between(today, year_end)
    except CalendarMissing:
        workdays = None
    return (year_end - today).days, workdays


def assemble(scope: Scope, figures: dict, *, computed_at: datetime.datetime, cache_key: str = "") -> Cockpit:
    """The page's Cockpit from counted figures: the red list's rows, the ranking; the matrix and the photo wall
    when first used."""
    days_left, workdays_left = countdown(scope)
    return Cockpit(
        scope=scope,
        counts=headline(scope, figures["headline"]),
        months=trend(scope, figures["trend"]),
        orders=open_orders(scope, figures["orders"]),
        red_list=red_list(scope, figures["red_list"]),
        ranking=latest_rankings(),
        days_left=days_left,
        workdays_left=workdays_left,
        computed_at=computed_at,
        figures=figures,
        cache_key=cache_key,
    )


def build(scope: Scope) -> Cockpit:
    """The cockpit counted now (no snapshot)."""
    computed_at = timezone.now()
    return assemble(scope, compute_figures(scope), computed_at=computed_at)


def _fig(f: Figure) -> dict:
    return {"value": f.value, "url": f.url}


def trend_json(cockpit: Cockpit) -> list[dict]:
    return [
        {"month": m.month, "label": m.label, "due": _fig(m.due), "on_time": _fig(m.on_time), "rate": m.rate}
        for m in cockpit.months
    ]


def as_json(cockpit: Cockpit) -> dict:
    """The figures for the charts' refresh (`cockpit_data`): every value with the URL of its list."""

    fig = _fig
    return {
        "year": cockpit.scope.year,
        "today": cockpit.scope.today.isoformat(),
        "counts": {k: fig(f) for k, f in cockpit.counts.items()},
        "on_time_rate": cockpit.on_time_rate,
        "days_left": cockpit.days_left,
        "workdays_left": cockpit.workdays_left,
        "matrix": [
            {
                "label": r.label,
                "group": r.is_group,
                "total": fig(r.total),
                "cells": {s: fig(c) for s, c in zip(STATUSES, r.cells, strict=True)},
            }
            for r in cockpit.rows
        ],  # fmt: skip
        "trend": trend_json(cockpit),
        "orders": {level: fig(f) for level, _label, f in cockpit.orders} | {"all": fig(cockpit.open_orders)},
        "red_list": [
            {
                "number": t.number,
                "title": t.title,
                "deadline": t.deadline.isoformat() if t.deadline else None,
                "url": reverse("task_detail", args=[t.code]),
            }
            for t in cockpit.red_list
        ],  # fmt: skip
    }


def cockpit_url(scope: Scope) -> str:
    query = {"year": scope.year, **({"plan": scope.plan.code} if scope.plan else {})}
    return f"{reverse('cockpit')}?{urlencode(query)}"
