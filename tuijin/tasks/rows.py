"""The task table's rows and the task list's filter choices, as plain values labelled once per request.

A page of the task list shows 50 tasks. Building a model instance for each task, its plan and its units, then
asking the template for each row's display labels (`get_status_display` rebuilds the choices dict on every call),
URL (a `reverse()` each), dates and unit names, and rendering some twenty template nodes per row, cost about
25 ms of CPU a page at city scale, ten times its SQL. A row here is the same text read as values, and its HTML
(ROW_HTML) is one format string: the table prints the same HTML for a fraction of that.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Task, TaskState, TaskStatus, TaskUnit
from .status import describe_reason

# What a row shows, read with .values() (plan__name: the plan's name, shown when the list spans plans).
ROW_FIELDS = ("id", "code", "number", "title", "category", "limit_text", "deadline", "progress", "state",
              "status", "status_reason", "plan__name")  # fmt: skip
UNIT_SEPARATOR = "、"


# One row of the task table (tasks/task_list.html, partial "table"), as the template printed it; every text in it
# is escaped (TaskRow.html).
ROW_HTML = """<tr data-status="{status}">
      <td class="text-nowrap">{number}</td>
      <td class="title"><a href="{url}">{title}</a>{plan}</td>
      <td class="small">{lead_units}</td>
      <td class="small">{supporting_units}</td>
      <td class="small">{limit_text}</td>
      <td class="text-nowrap small">{deadline}</td>
      <td style="min-width: 6rem"><div class="progress" role="progressbar" aria-valuenow="{progress}" \
aria-valuemin="0" aria-valuemax="100" style="height: 1rem"><div class="progress-bar {bar}" style="width: {progress}%">\
{progress}%</div></div></td>
      <td class="small text-nowrap">{state_label}</td>
      <td><span class="badge status-{status}" title="{status_reason_label}">{status_label}</span>
</td>
    </tr>"""
PLAN_HTML = '<div class="small text-muted">{}</div>'  # under the title, where the list spans plans
BAR_CLASSES = {"overdue": "bg-danger", "warning": "bg-warning text-dark", "closed": "bg-secondary"}
NONE = "—"


@dataclass(slots=True)
class TaskRow:
    """One line of the task table, every text ready to print."""

    code: uuid.UUID
    url: str
    number: str
    title: str
    category: str
    plan_name: str
    lead_units: str  # names joined with 、
    supporting_units: str
    limit_text: str
    deadline: str  # 2026-11-27, or "" when there is none
    progress: int  # 0–100
    state_label: str
    status: str
    status_label: str
    status_reason_label: str
    show_plan: bool = True  # set by the table ({% task_rows %}): not within a plan's own list

    @property
    def html(self) -> SafeString:
        # Escaped as the template's autoescape does (django.utils.html.escape), without its checks for lazy text.
        e = html.escape
        plan = PLAN_HTML.format(e(self.plan_name)) if self.show_plan else ""
        return mark_safe(
            ROW_HTML.format(
                status=e(self.status),
                number=e(self.number),
                url=e(self.url),
                title=e(self.title),
                plan=plan,
                lead_units=e(self.lead_units),
                supporting_units=e(self.supporting_units or NONE),
                limit_text=e(self.limit_text or NONE),
                deadline=e(self.deadline or NONE),
                progress=self.progress,
                bar=BAR_CLASSES.get(self.status, "bg-success"),
                state_label=e(self.state_label),
                status_reason_label=e(self.status_reason_label),
                status_label=e(self.status_label),
            )
        )


def code_url(name: str) -> Callable[[object], str]:
    """`code -> reverse(name, args=[code])` for many codes at the price of one reverse(): the code is the only part
    of the path that changes, and a UUID's text needs no quoting."""
    sample = uuid.UUID(int=0)
    head, _sep, tail = reverse(name, args=[sample]).partition(str(sample))
    return lambda code: f"{head}{code}{tail}"


class _Labels:
    """The display labels of the states and statuses in the active language, looked up once per page."""

    def __init__(self):
        self.state = {value: str(label) for value, label in TaskState.choices}
        self.status = {value: str(label) for value, label in TaskStatus.choices}
        self.url = code_url("task_detail")

    def row(self, *, code, number, title, category, plan_name, lead, support, limit_text, deadline, progress,
            state, status, status_reason) -> TaskRow:  # fmt: skip
        return TaskRow(
            code=code,
            url=self.url(code),
            number=number,
            title=title,
            category=category,
            plan_name=plan_name,
            lead_units=UNIT_SEPARATOR.join(lead),
            supporting_units=UNIT_SEPARATOR.join(support),
            limit_text=limit_text,
            deadline=deadline.isoformat() if deadline else "",
            progress=progress,
            state_label=self.state.get(state, state),
            status=status,
            status_label=self.status.get(status, status),
            status_reason_label=describe_reason(status_reason),
        )


def rows_from_values(values: Iterable[dict]) -> list[TaskRow]:
    """Rows from `tasks.values(*ROW_FIELDS)` (one page of them), with their units in one more query."""
    values = list(values)
    units: dict[int, tuple[list[str], list[str]]] = {v["id"]: ([], []) for v in values}
    if units:
        pairs = (
            TaskUnit.objects.filter(task_id__in=units)
            .order_by("role", "position")
            .values_list("task_id", "role", "unit__name")
        )
        for task_id, role, name in pairs:
            units[task_id][0 if role == TaskUnit.LEAD else 1].append(name)
    labels = _Labels()
    return [
        labels.row(
            code=v["code"],
            number=v["number"],
            title=v["title"],
            category=v["category"],
            plan_name=v["plan__name"],
            lead=units[v["id"]][0],
            support=units[v["id"]][1],
            limit_text=v["limit_text"],
            deadline=v["deadline"],
            progress=v["progress"],
            state=v["state"],
            status=v["status"],
            status_reason=v["status_reason"],
        )
        for v in values
    ]


def rows_from_tasks(tasks: Iterable[Task]) -> list[TaskRow]:
    """Rows from Task instances loaded with `for_list()` (their plan and units already fetched)."""
    labels = _Labels()
    rows = []
    for t in tasks:
        rows.append(
            labels.row(
                code=t.code,
                number=t.number,
                title=t.title,
                category=t.category,
                plan_name=t.plan.name,
                lead=[u.name for u in t.lead_units],
                support=[u.name for u in t.supporting_units],
                limit_text=t.limit_text,
                deadline=t.deadline,
                progress=t.progress,
                state=t.state,
                status=t.status,
                status_reason=t.status_reason,
            )
        )
    return rows


def as_rows(items) -> list[TaskRow]:
    """The table's rows from what a view passed: rows already (the task list), or Task instances (the cockpit's
    drill-down lists include the same table)."""
    items = list(items)
    if items and not isinstance(items[0], TaskRow):
        return rows_from_tasks(items)
    return items


def select_options(choices: Iterable[tuple[object, object]], current: object) -> SafeString:
    """The <option> elements of a filter from (value, label) pairs; the one whose value reads as `current` (the
    submitted text, or None) is selected. Values and labels are escaped as the template's autoescape does."""
    current, e = str(current), html.escape
    return mark_safe(
        "".join(
            f'<option value="{e(str(value))}"{" selected" if str(value) == current else ""}>{e(str(label))}</option>'
            for value, label in choices
        )
    )


def filter_options(form, *, with_plans: bool) -> dict[str, SafeString]:
    """The task list's filters (TaskFilterForm) as <option> lists: plans by code and units by id read as values,
    states and statuses from their choices. Plans only where the list spans plans."""
    fields = form.fields
    options = {
        "status": select_options(fields["status"].choices, form["status"].value()),
        "state": select_options(fields["state"].choices, form["state"].value()),
        "unit": select_options(
            [("", _("All units")), *fields["unit"].queryset.values_list("pk", "name")], form["unit"].value()
        ),
    }
    if with_plans:
        plans = fields["plan"].queryset.values_list(fields["plan"].to_field_name, "name")
        options["plan"] = select_options([("", _("All plans")), *plans], form["plan"].value())
    return options
