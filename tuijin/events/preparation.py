"""Preparation tasks of activities on the task engine, and the templates that generate the standard ones.

A preparation task is an ordinary task of the programme's plan, created through `tasks.services.create_task`
(so it is numbered, warned about, reported on and closed like any other) and filed under an activity and a
category by an `ActivityTask` row. A template's deadlines are counted back from the activity's date in working
days on the official calendar.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.core.calendar import get_calendar
from tuijin.lib.workdays import CalendarMissing
from tuijin.tasks import services as task_services
from tuijin.tasks.models import SourceKind, Task

from .access import require_organiser
from .models import Activity, ActivityTask, ChecklistItem, PrepTemplate, PrepTemplateItem
from .services import EventError

# ——— dates and numbers ———


def workdays_before(day: datetime.date, workdays: int) -> tuple[datetime.date, str]:
    """The working day `workdays` before `day` (on the day itself for 0), and a note when the official calendar
    of that year is missing and Monday–Friday was counted instead."""
    if workdays <= 0:
        return day, ""
    try:
        return get_calendar().add_workdays(day, -workdays), ""
    except CalendarMissing as exc:
        back = day
        for _i in range(workdays):
            back -= datetime.timedelta(days=1)
            while back.weekday() >= 5:
                back -= datetime.timedelta(days=1)
        return back, str(exc)


def limit_phrase(day: datetime.date, plan_year: int) -> str:
    """The time limit as a list would write it (3月12日前, 2027年1月5日前); the task engine parses it back."""
    prefix = f"{day.year}年" if day.year != plan_year else ""
    return f"{prefix}{day.month}月{day.day}日前"


def next_number(plan) -> int:
    """One more than the highest plain number in the plan (1, 2 … 12 → 13)."""
    numbers = [int(n) for n in plan.tasks.values_list("number", flat=True) if re.fullmatch(r"\d+", n or "")]
    return max(numbers, default=0) + 1


# ——— one task by hand ———


def _source(activity: Activity) -> dict:
    return {"source_kind": SourceKind.DEPLOYMENT, "source_ref": activity.programme.name[:100]}


@transaction.atomic
def add_prep_task(
    *, actor, activity: Activity, category: str, title: str, lead_units: Sequence, supporting_units: Sequence = (),
    deadline: datetime.date, target: str = "", template_item: PrepTemplateItem | None = None,
    number: str | None = None,
) -> ActivityTask:  # fmt: skip
    require_organiser(actor)
    programme = activity.programme
    if category not in (programme.categories or []):
        raise EventError(_("“%(c)s” is not a preparation category of this programme.") % {"c": category})
    if deadline > activity.date:
        raise EventError(
            _("A preparation task must be due by the activity's day (%(d)s).") % {"d": activity.date}
        )
    plan = programme.plan
    task = task_services.create_task(
        actor=actor, plan=plan, title=title, lead_units=list(lead_units), supporting_units=list(supporting_units),
        limit_text=limit_phrase(deadline, plan.year), number=number or str(next_number(plan)), category=category,
        target=target, tags=activity.title[:200], **_source(activity),
    )  # fmt: skip
    if task.deadline != deadline:
        # The day is known exactly; a phrase outside the plan's year (an activity early in January of a plan
        # made for the new year) is flagged by the parser, so the date is set as given.
        from tuijin.tasks.models import LimitKind

        task.deadline, task.limit_kind, task.limit_note = deadline, LimitKind.DATE, ""
        task.save(update_fields=["deadline", "limit_kind", "limit_note"])
        task_services.refresh_status([task])
    link = ActivityTask.objects.create(
        activity=activity, task=task, category=category, template_item=template_item
    )
    record(actor=actor, action="events.prep_task.add", obj=link,
           after={"activity": activity.title, "task": str(task), "category": category,
                  "deadline": task.deadline})  # fmt: skip
    return link


@transaction.atomic
def link_task(*, actor, activity: Activity, task: Task, category: str) -> ActivityTask:
    """File a task the plan has already (e.g. from the mobilisation meeting's list) under an activity."""
    require_organiser(actor)
    if task.plan_id != activity.programme.plan_id:
        raise EventError(_("Only tasks of the programme's plan can be preparation tasks."))
    if ActivityTask.objects.filter(task=task).exists():
        raise EventError(_("This task is filed under an activity already."))
    if category not in (activity.programme.categories or []):
        raise EventError(_("“%(c)s” is not a preparation category of this programme.") % {"c": category})
    link = ActivityTask.objects.create(activity=activity, task=task, category=category)
    record(actor=actor, action="events.prep_task.link", obj=link,
           after={"activity": activity.title, "task": str(task), "category": category})  # fmt: skip
    return link


# ——— templates ———


TEMPLATE_ITEM_FIELDS = [
    "kind",
    "category",
    "title",
    "workdays_before",
    "unit_id",
    "needs_task_id",
    "position",
]


@transaction.atomic
def create_template(*, actor, name: str, description: str = "") -> PrepTemplate:
    require_organiser(actor)
    template = PrepTemplate.objects.create(name=name, description=description)
    record(actor=actor, action="events.template.create", obj=template, after=snapshot(template))
    return template


@transaction.atomic
def update_template(*, actor, template: PrepTemplate, **fields) -> PrepTemplate:
    require_organiser(actor)
    before = snapshot(template)
    for name, value in fields.items():
        setattr(template, name, value)
    template.save()
    record(
        actor=actor, action="events.template.update", obj=template, before=before, after=snapshot(template)
    )
    return template


@transaction.atomic
def add_template_item(*, actor, template: PrepTemplate, **fields) -> PrepTemplateItem:
    require_organiser(actor)
    needs = fields.get("needs_task")
    if needs is not None and (needs.template_id != template.pk or needs.kind != PrepTemplateItem.Kind.TASK):
        raise EventError(_("A checklist item can wait only for a task of the same template."))
    if fields.get("kind") == PrepTemplateItem.Kind.TASK:
        fields["needs_task"] = None
    fields.setdefault("position", template.items.count() + 1)
    item = PrepTemplateItem.objects.create(template=template, **fields)
    record(
        actor=actor, action="events.template.add_item", obj=item, after=snapshot(item, TEMPLATE_ITEM_FIELDS)
    )
    return item


@transaction.atomic
def delete_template_item(*, actor, item: PrepTemplateItem) -> None:
    require_organiser(actor)
    record(
        actor=actor,
        action="events.template.delete_item",
        obj=item,
        before=snapshot(item, TEMPLATE_ITEM_FIELDS),
    )
    item.delete()


# (kind, category, title, working days before the activity, title of the task a checklist item waits for)
STANDARD_ITEMS: list[tuple[str, str, str, int, str]] = [
    ("task", "安全", "制定安保方案，部署安保力量", 10, ""),
    ("task", "交通", "制定交通组织和疏导方案", 8, ""),
    ("task", "保障", "场地搭建、物资和后勤保障", 7, ""),
    ("task", "医疗", "落实医疗救护和卫生防疫保障", 5, ""),
    ("task", "接待", "嘉宾邀请和接待服务", 5, ""),
    ("task", "宣传", "做好新闻宣传和媒体报道", 3, ""),
    ("check", "保障", "场地验收", 2, "场地搭建、物资和后勤保障"),
    ("check", "安全", "安保演练", 2, "制定安保方案，部署安保力量"),
    ("check", "安全", "应急预案", 3, ""),
    ("check", "保障", "物资到位", 1, ""),
]
STANDARD_NAME = "大型活动标准筹备任务"


@transaction.atomic
def standard_template(*, actor, name: str = STANDARD_NAME, units: dict | None = None) -> PrepTemplate:
    """The standard preparation work of a large public activity; `units` maps a category to the unit that
    usually answers for it (else the activity's lead unit does)."""
    units = units or {}
    template = create_template(
        actor=actor, name=name,
        description="安保方案、交通疏导、医疗保障、宣传报道等标准筹备任务，时限从活动日期按工作日倒排；"
                    "场地验收、安保演练等就绪检查项。",
    )  # fmt: skip
    made: dict[str, PrepTemplateItem] = {}
    for position, (kind, category, title, days, needs) in enumerate(STANDARD_ITEMS, start=1):
        made[title] = add_template_item(
            actor=actor, template=template, kind=kind, category=category, title=title, workdays_before=days,
            unit=units.get(category), needs_task=made.get(needs), position=position,
        )  # fmt: skip
    return template


# ——— applying a template to an activity ———


@dataclass
class Planned:
    """What applying one template item to an activity would create."""

    item: PrepTemplateItem
    title: str
    unit: object
    supporting: list = field(default_factory=list)
    due: datetime.date | None = None
    note: str = ""
    done: bool = False  # made from this item before: applying again skips it
    waits_for: str = ""


def plan_template(
    activity: Activity, template: PrepTemplate, today: datetime.date | None = None
) -> list[Planned]:
    """Preview of the tasks and checklist items the template gives this activity, deadlines computed."""
    today = today or timezone.localdate()
    done_tasks = set(activity.prep_tasks.filter(template_item__template=template).values_list("template_item_id",
                                                                                              flat=True))  # fmt: skip
    done_checks = set(activity.checklist.filter(template_item__template=template).values_list("template_item_id",
                                                                                               flat=True))  # fmt: skip
    rows = []
    for item in template.items.select_related("unit", "needs_task"):
        unit = item.unit or activity.lead_unit
        due, note = workdays_before(activity.date, item.workdays_before)
        if due < today:
            note = (note + " " if note else "") + _("%(d)s has passed: due today instead.") % {
                "d": f"{due:%Y-%m-%d}"
            }
            due = today
        supporting = [activity.lead_unit] if item.kind == "task" and unit.pk != activity.lead_unit_id else []
        is_task = item.kind == PrepTemplateItem.Kind.TASK
        rows.append(
            Planned(
                item=item, title=f"{activity.title}：{item.title}" if is_task else item.title, unit=unit,
                supporting=supporting, due=due, note=note.strip(),
                done=item.pk in (done_tasks if is_task else done_checks),
                waits_for=item.needs_task.title if item.needs_task_id else "",
            )
        )  # fmt: skip
    return rows


@transaction.atomic
def apply_template(
    *, actor, activity: Activity, template: PrepTemplate, item_codes: Iterable | None = None,
    today: datetime.date | None = None,
) -> tuple[list[ActivityTask], list[ChecklistItem]]:  # fmt: skip
    """Create the activity's standard preparation tasks and checklist items in one step (all or nothing).
    Items made before are skipped; `item_codes` limits it to the chosen items."""
    require_organiser(actor)
    if activity.date < (today or timezone.localdate()):
        raise EventError(_("The activity is over; there is nothing left to prepare."))
    chosen = {str(c) for c in item_codes} if item_codes is not None else None
    rows = [r for r in plan_template(activity, template, today) if not r.done]
    if chosen is not None:
        rows = [r for r in rows if str(r.item.code) in chosen]
    if not rows:
        raise EventError(_("Nothing to create: choose at least one item that was not created before."))
    made_tasks: dict[int, Task] = {
        link.template_item_id: link.task
        for link in activity.prep_tasks.filter(template_item__template=template).select_related("task")
    }
    links, checks = [], []
    number = next_number(activity.programme.plan)
    categories = activity.programme.categories or []
    for row in rows:
        item = row.item
        category = (
            item.category
            if item.category in categories
            else (categories[-1] if categories else item.category)
        )
        if item.kind == PrepTemplateItem.Kind.TASK:
            link = add_prep_task(
                actor=actor, activity=activity, category=category, title=row.title, lead_units=[row.unit],
                supporting_units=row.supporting, deadline=row.due, template_item=item, number=str(number),
            )  # fmt: skip
            number += 1
            made_tasks[item.pk] = link.task
            links.append(link)
    position = activity.checklist.count()
    for row in rows:
        item = row.item
        if item.kind != PrepTemplateItem.Kind.CHECK:
            continue
        position += 1
        checks.append(
            ChecklistItem.objects.create(
                activity=activity, title=row.title, unit=row.unit, task=made_tasks.get(item.needs_task_id),
                due_date=row.due, template_item=item, position=position,
            )
        )  # fmt: skip
    record(actor=actor, action="events.template.apply", obj=activity,
           after={"template": template.name, "tasks": [str(link.task) for link in links],
                  "checklist": [c.title for c in checks]})  # fmt: skip
    return links, checks
