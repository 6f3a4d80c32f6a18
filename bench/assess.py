"""Assessment benchmark: computing a monthly round for 108 units over 20,000 tasks must take under 5 s.

    .venv/bin/python bench/assess.py            # SQLite in a temporary file
    DATABASE_URL=postgres://… .venv/bin/python bench/assess.py

Generates 108 units (32 sectors, 60 departments, 16 districts) and 20,000 tasks with bulk_create — one lead
unit and one or two supporting units each, a milestone each, monthly reports up to the assessed month (some
late, some missing), warnings on about one task in ten and supervision orders on about one in thirty — then
times `compute_round` for last month with every built-in indicator plus bonuses and deductions, best of 3
(each run is a new version of the round). Exits non-zero when the target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 5.0
UNITS = {"sector": 32, "department": 60, "district": 16}
TASKS = 20_000
BATCH = 2_000


def setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuijin.settings_test"
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def generate(year: int, month: int, rng: random.Random):
    """Units, tasks and their records for `year`, reports up to `month`; returns the plan."""
    from tuijin.org.models import Unit, User
    from tuijin.supervision.models import Order, Warning
    from tuijin.tasks.models import Milestone, Plan, Report, Task, TaskState, TaskUnit

    units = Unit.objects.bulk_create(
        [Unit(name=f"{kind}-{i:03d}", kind=kind, sort_order=i) for kind, n in UNITS.items() for i in range(n)]
    )
    author = User.objects.create_user(username="bench", password="x" * 12)
    plan = Plan.objects.create(
        name=f"{year}年重点任务（基准测试）", year=year, start_date=datetime.date(year, 1, 1)
    )
    today = datetime.date.today()
    tasks = []
    for i in range(TASKS):
        deadline = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        closed = None
        if deadline < today and rng.random() < 0.7:
            closed = deadline + datetime.timedelta(days=rng.randint(-20, 10))
        tasks.append(Task(
            plan=plan, number=str(i + 1), sort_key=f"{i:06d}", title=f"重点任务{i + 1}", deadline=deadline,
            state=TaskState.CLOSED if closed else TaskState.IN_PROGRESS, closed_at=aware(closed) if closed else None,
            progress=100 if closed else rng.randint(0, 95),
        ))  # fmt: skip
    for start in range(0, TASKS, BATCH):
        Task.objects.bulk_create(tasks[start : start + BATCH])
    Task.objects.filter(plan=plan).update(created_at=aware(datetime.date(year, 1, 5)))
    links, milestones, reports, warnings, orders = [], [], [], [], []
    number = 0
    for task in tasks:
        lead, *support = rng.sample(units, rng.randint(2, 3))
        links.append(TaskUnit(task=task, unit=lead, role=TaskUnit.LEAD))
        links += [
            TaskUnit(task=task, unit=u, role=TaskUnit.SUPPORT, position=k) for k, u in enumerate(support)
        ]
        node = task.deadline - datetime.timedelta(days=rng.randint(10, 60))
        if node.year == year:
            done = node + datetime.timedelta(days=rng.randint(-5, 5)) if rng.random() < 0.8 else None
            milestones.append(Milestone(task=task, date=node, text="节点", done_at=done))
        for m in range(1, month + 1):
            if task.closed_at and task.closed_at.date() < datetime.date(year, m, 25):
                break
            if rng.random() < 0.85:
                reports.append(Report(task=task, unit=lead, author=author, period=f"{year}-{m:02d}", text="进展",
                                      progress=task.progress, is_late=rng.random() < 0.1))  # fmt: skip
        if rng.random() < 0.1:
            seen = aware(datetime.date(year, rng.randint(1, month), rng.randint(1, 28)))
            warnings.append(Warning(task=task, kind="overdue", level=rng.choice(["yellow", "red"]), first_seen=seen,
                                    last_seen=seen))  # fmt: skip
        if rng.random() < 1 / 30:
            number += 1
            issued = aware(datetime.date(year, rng.randint(1, month), rng.randint(1, 28)))
            orders.append(Order(task=task, unit=lead, level=rng.choice(["reminder", "blue", "orange", "red"]),
                                year=year, number=number, requirement="加快推进", issued_at=issued))  # fmt: skip
    for model, rows in ((TaskUnit, links), (Milestone, milestones), (Report, reports), (Warning, warnings),
                        (Order, orders)):  # fmt: skip
        model.objects.bulk_create(rows, batch_size=BATCH)
    print(f"  {len(units)} units · {len(tasks):,} tasks · {len(links):,} unit links · {len(milestones):,} milestones"
          f" · {len(reports):,} reports · {len(warnings):,} warnings · {len(orders):,} orders")  # fmt: skip
    return plan, units


def make_scheme(plan, units, period: str, kind: str):
    from decimal import Decimal

    from tuijin.assessment.models import Adjustment, Indicator, Scheme
    from tuijin.org.models import User

    scheme = Scheme.objects.create(name="基准测试考核", circular_subject="核心板块", period_kind=kind)
    scheme.plans.set([plan])
    specs = [("on_time_closure", 20), ("milestone_hits", 15), ("report_timeliness", 15),
             ("progress_against_time", 20), ("warnings_received", 10), ("orders_received", 10)]  # fmt: skip
    for position, (code, weight) in enumerate(specs, start=1):
        Indicator.objects.create(
            scheme=scheme, name=code, calculator=code, weight=Decimal(weight), position=position
        )
    Indicator.objects.create(scheme=scheme, name="加减分", kind=Indicator.Kind.ADJUSTMENT, weight=Decimal(5),
                             position=len(specs) + 1)  # fmt: skip
    author = User.objects.get(username="bench")
    Adjustment.objects.bulk_create([
        Adjustment(scheme=scheme, period=period, unit=u, kind=random.choice(["bonus", "deduction"]),
                   points=Decimal(random.randint(1, 3)), reason="基准", entered_by=author)
        for u in units[::9]
    ])  # fmt: skip
    return scheme


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--kind",
        choices=["month", "quarter", "year"],
        default="month",
        help="the scheme's period (the target is for a month; the others are for information)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tuijin-bench-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import connection

        from tuijin.assessment.models import Score
        from tuijin.assessment.periods import previous_period
        from tuijin.assessment.services import compute_round

        month_period = previous_period("month", datetime.date.today())
        year, month = int(month_period[:4]), int(month_period[5:])
        period = {"month": month_period, "quarter": f"{year}-Q{(month - 1) // 3 + 1}", "year": str(year)}[
            args.kind
        ]
        print(f"Assessment benchmark on {connection.vendor}: a round for {period}")
        started = time.perf_counter()
        plan, units = generate(year, month, random.Random(2021))
        scheme = make_scheme(plan, units, period, args.kind)
        print(f"  generated in {time.perf_counter() - started:.1f} s")
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            round_ = compute_round(actor=None, scheme=scheme, period=period)
            timings.append(time.perf_counter() - start)
        best = min(timings)
        sources = sum(len(s) for s in Score.objects.filter(round=round_).values_list("sources", flat=True))
        print(
            f"  {round_.results.count()} units ranked · {round_.scores.count()} scores · {sources:,} linked records"
        )
        passed = best < TARGET_SECONDS or args.kind != "month"
        verdict = f"(target < {TARGET_SECONDS:.0f} s) {'PASS' if passed else 'FAIL'}" if args.kind == "month" else \
            "(no target: for information)"  # fmt: skip
        print(f"  compute_round: {' / '.join(f'{t:.2f}' for t in timings)} s — best {best:.2f} s {verdict}")
        connection.close()
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
