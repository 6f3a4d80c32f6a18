"""A June 2026 to assess, seen from 10 July 2026, with the fixed cast (tuijin/conftest.py).

Sectors: unit_a (alice's 中原科技城管委会) and unit_d (白沙科学谷管委会). Departments: unit_b (bob), unit_c (charlie)
and unit_e (市工信局). Expected with the `base100` scheme (on-time closure 20, warnings 10):

- unit_a: 2 tasks due in June, 1 closed on time → −10; one red warning → −1 → 89 良好, sector rank 2
- unit_d: 1 task due, closed on time → 100 优秀, sector rank 1
- unit_b: 1 task due, closed late (2 July) → −20 → 80 良好, department rank 3
- unit_c, unit_e: 1 task due each, closed on time → 100 优秀, department rank 1 and 1 (a tie)
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from tuijin.assessment.models import Indicator, Method, Scheme
from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.models import Order, Warning
from tuijin.tasks.models import Milestone, Report, Task, TaskState, TaskUnit

NOW = datetime.datetime(2026, 7, 10, 10, 0)


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_task(plan, lead, *, support=(), deadline=None, closed_on=None, progress=0, created=datetime.date(2026, 3, 1),
              number="", title="任务"):  # fmt: skip
    """A task straight into the database (no services: the dates must be exactly what the test says)."""
    task = Task.objects.create(
        plan=plan, number=number, title=title, deadline=deadline, progress=100 if closed_on else progress,
        state=TaskState.CLOSED if closed_on else TaskState.IN_PROGRESS,
        closed_at=aware(closed_on) if closed_on else None,
    )  # fmt: skip
    Task.objects.filter(pk=task.pk).update(created_at=aware(created))
    task.refresh_from_db()
    leads = lead if isinstance(lead, list | tuple) else [lead]
    for position, unit in enumerate(leads):
        TaskUnit.objects.create(task=task, unit=unit, role=TaskUnit.LEAD, position=position)
    for position, unit in enumerate(support):
        TaskUnit.objects.create(task=task, unit=unit, role=TaskUnit.SUPPORT, position=position)
    return task


def make_warning(task, level="red", day=datetime.date(2026, 6, 10), kind="overdue"):
    return Warning.objects.create(
        task=task, kind=kind, level=level, first_seen=aware(day), last_seen=aware(day)
    )


def make_order(task, unit, level="blue", day=datetime.date(2026, 6, 12), number=None, state="issued"):
    return Order.objects.create(task=task, unit=unit, level=level, year=day.year, number=number, state=state,
                                requirement="加快推进", issued_at=aware(day))  # fmt: skip


def make_report(task, unit, author, period="2026-06", late=False, day=datetime.date(2026, 6, 20)):
    report = Report.objects.create(task=task, unit=unit, author=author, period=period, text="进展",
                                   is_late=late)  # fmt: skip
    Report.objects.filter(pk=report.pk).update(created_at=aware(day))
    return report


def make_milestone(task, day, done=None, text="节点"):
    return Milestone.objects.create(task=task, date=day, text=text, done_at=done)


@pytest.fixture(autouse=True)
def english():
    """Formulas are written in the language active when a round is computed; tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(timezone.make_aware(NOW), tick=False) as traveller:
        yield traveller


@pytest.fixture
def unit_d(db):
    return Unit.objects.create(name="白沙科学谷管委会", kind=UnitKind.SECTOR)


@pytest.fixture
def unit_e(db):
    return Unit.objects.create(name="市工信局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def june(plan, unit_a, unit_b, unit_c, unit_d, unit_e):
    """The tasks of the module docstring; returns them by name."""
    a1 = make_task(plan, unit_a, support=[unit_b], deadline=datetime.date(2026, 6, 30),
                   closed_on=datetime.date(2026, 6, 20), number="1", title="建成孵化基地")  # fmt: skip
    a2 = make_task(plan, unit_a, support=[unit_c], deadline=datetime.date(2026, 6, 15), progress=60, number="2",
                   title="完成征地1200亩")  # fmt: skip
    d1 = make_task(plan, unit_d, deadline=datetime.date(2026, 6, 30), closed_on=datetime.date(2026, 6, 29),
                   number="3", title="建成科学谷路网")  # fmt: skip
    b1 = make_task(plan, unit_b, deadline=datetime.date(2026, 6, 30), closed_on=datetime.date(2026, 7, 2),
                   number="4", title="出台科技政策")  # fmt: skip
    c1 = make_task(plan, unit_c, deadline=datetime.date(2026, 6, 5), closed_on=datetime.date(2026, 6, 5),
                   number="5", title="举办招商推介会")  # fmt: skip
    e1 = make_task(plan, unit_e, deadline=datetime.date(2026, 6, 25), closed_on=datetime.date(2026, 6, 1),
                   number="6", title="培育专精特新企业")  # fmt: skip
    later = make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31), progress=40, number="7",
                      title="引进头部企业")  # fmt: skip
    make_warning(a2, "red", datetime.date(2026, 6, 16))
    make_warning(a2, "yellow", datetime.date(2026, 5, 20), kind="progress")  # May: not counted in June
    return {"a1": a1, "a2": a2, "d1": d1, "b1": b1, "c1": c1, "e1": e1, "later": later}


def add_indicator(scheme, name, calculator="", weight=10, kind=Indicator.Kind.AUTO, **options):
    position = scheme.indicators.count() + 1
    return Indicator.objects.create(scheme=scheme, name=name, calculator=calculator, weight=Decimal(weight),
                                    kind=kind, position=position, **options)  # fmt: skip


@pytest.fixture
def scheme(plan):
    """Base 100, monthly: on-time closure (up to −20) and warnings (−1 red, −0.5 yellow, up to −10)."""
    scheme = Scheme.objects.create(
        name="核心板块月度督查考核", method=Method.BASE100, circular_subject="核心板块"
    )
    scheme.plans.set([plan])
    add_indicator(scheme, "按期办结率", "on_time_closure", 20)
    add_indicator(scheme, "预警扣分", "warnings_received", 10)
    return scheme
