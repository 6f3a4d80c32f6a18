"""The operations the benchmarks time, each beside its floor: pages through Django's test client (in process,
server side: middleware, view, queries and template, no network), an assessment round, an export and an import.
"""

from __future__ import annotations

import datetime
import io
import itertools
import random
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from common import client_for, counting_queries, median_times, session_key

PAGE_TARGET_MS = 150
PAGE_RATIO = 3.0
EXPORT_RATIO = 2.0
IMPORT_RATIO = 2.0
ROUND_TARGET_S = 5.0


@dataclass
class Measure:
    """One line of the results table."""

    name: str
    seconds: float
    floor: float | None = None
    cpu: float | None = None  # median CPU time of this process (see common.median_times)
    floor_cpu: float | None = None
    queries: int | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.floor else None


# ——— who and what ———


@dataclass
class World:
    """The generated data's actors and a typical task, looked up once."""

    year: int
    today: datetime.date
    supervisor: object
    unit_user: object
    task_code: object
    token: str
    plans: list


def world() -> World:
    from django.db.models import Count
    from django.utils import timezone

    from tuijin.org.models import ApiToken, Role, User
    from tuijin.tasks.models import Plan, Task, TaskUnit

    today = timezone.localdate()
    supervisor = User.objects.filter(memberships__role=Role.SUPERVISOR).order_by("pk").first()
    # The unit user whose units lead or support the most tasks: the longest list a unit user sees.
    busiest = (
        TaskUnit.objects.values("unit_id").annotate(n=Count("id")).order_by("-n", "unit_id").first()["unit_id"]
    )
    unit_user = User.objects.filter(memberships__role=Role.UNIT, memberships__unit_id=busiest).first()
    # A typical page: an open task of the annual plan with the median number of reports among open tasks.
    plans = list(Plan.objects.filter(year=today.year).order_by("pk"))
    candidates = list(
        Task.objects.filter(plan=plans[0], status="overdue")
        .annotate(n=Count("reports"))
        .order_by("n", "pk")
        .values_list("code", "n")[:2000]
    )
    code = candidates[len(candidates) // 2][0]
    _token, key = ApiToken.issue(supervisor)
    return World(today.year, today, supervisor, unit_user, code, key, plans)


def who(user):
    from floors import Who

    from tuijin.org.models import Role

    units = [] if user.sees_all_tasks else sorted(user.unit_ids(Role.UNIT))
    return Who(session_key(user), user.pk, units)


# ——— pages ———


def page(name: str, user, url: str, floor_fn, db, runs: int, **headers) -> Measure:
    """Median server time of GET `url` as `user` (a fresh session), its query count and its floor."""
    client = client_for(user)
    client.get(url, **headers)  # process caches (the security policy, refreshed every so often) filled first
    with counting_queries() as counted:
        response = client.get(url, **headers)
    if response.status_code != 200:
        raise SystemExit(f"{name}: {url} answered {response.status_code}")
    seconds, cpu = median_times(runs, lambda: client.get(url, **headers))
    floor, floor_cpu = median_times(runs, floor_fn, warm=2)
    return Measure(name, seconds, floor, cpu, floor_cpu, counted.n, f"≤ {PAGE_RATIO:.0f}× floor, < {PAGE_TARGET_MS} ms",
                   ratio_ok(seconds, floor, PAGE_RATIO) and seconds * 1000 < PAGE_TARGET_MS)  # fmt: skip


def ratio_ok(seconds: float, floor: float, limit: float) -> bool:
    return seconds <= floor * limit


def pages(w: World, db, runs: int) -> list[Measure]:
    import floors

    from tuijin.org.models import ApiToken

    sup, unit = who(w.supervisor), who(w.unit_user)
    status = "warning"
    token_hash = ApiToken.hash(w.token)
    return [
        page("cockpit (supervisor)", w.supervisor, "/cockpit/",
             lambda: floors.cockpit_page(db, sup, f"{w.year}:all:all", w.today), db, runs),
        page("task list ?status=warning (unit user)", w.unit_user, f"/tasks/?status={status}",
             lambda: floors.task_list(db, unit, status), db, runs),
        page("task list ?status=warning (supervisor)", w.supervisor, f"/tasks/?status={status}",
             lambda: floors.task_list(db, sup, status), db, runs),
        page("task page (supervisor)", w.supervisor, f"/tasks/{w.task_code}/",
             lambda: floors.task_page(db, sup, w.task_code), db, runs),
        page("API /api/v1/tasks, first page", w.supervisor, "/api/v1/tasks",
             lambda: floors.api_task_list(db, token_hash), db, runs, HTTP_AUTHORIZATION=f"Bearer {w.token}"),
    ]  # fmt: skip


def cockpit_count(w: World, db, runs: int) -> Measure:
    """Counting the cockpit's figures for those who see every task (what the tick does every few minutes and a
    request does when the figures are stale) ÷ the same counts in hand-written SQL. For information: the page
    itself reads the counted figures (above)."""
    import floors

    from tuijin.cockpit import snapshots
    from tuijin.cockpit.metrics import Scope

    scope = Scope(snapshots.Everyone(), year=w.year, today=w.today)
    with counting_queries() as counted:
        snapshots.recount(scope)
    seconds, cpu = median_times(runs, lambda: snapshots.recount(scope))
    floor, floor_cpu = median_times(runs, lambda: floors.cockpit_count(db, w.year, w.today), warm=1)
    return Measure("cockpit figures counted (tick)", seconds, floor, cpu, floor_cpu, counted.n,
                   "(for information)", None)  # fmt: skip


# ——— an assessment round ———

INDICATORS = [("on_time_closure", 20), ("milestone_hits", 15), ("report_timeliness", 15),
              ("progress_against_time", 20), ("warnings_received", 10), ("orders_received", 10)]  # fmt: skip


def assessment_round(w: World, runs: int, *, publish: bool = True, judged: bool = True) -> Measure:
    """`compute_round` for last month over the year's plans, every unit that leads a task, the six built-in
    indicators plus bonuses and deductions (each run stores a new version); the last one is then reviewed and
    published so that the cockpit shows its ranking."""
    from tuijin.assessment.models import Adjustment, Indicator, Scheme, Score
    from tuijin.assessment.periods import previous_period
    from tuijin.assessment.services import compute_round, publish_round, review_round
    from tuijin.org.models import Unit

    period = previous_period("month", w.today)
    scheme = Scheme.objects.create(name="基准测试考核", circular_subject="核心板块", period_kind="month")
    scheme.plans.set(w.plans)
    for position, (code, weight) in enumerate(INDICATORS, start=1):
        Indicator.objects.create(scheme=scheme, name=code, calculator=code, weight=Decimal(weight), position=position)
    Indicator.objects.create(scheme=scheme, name="加减分", kind=Indicator.Kind.ADJUSTMENT, weight=Decimal(5),
                             position=len(INDICATORS) + 1)  # fmt: skip
    rng = random.Random(2021)
    units = list(Unit.objects.exclude(kind="city_office").order_by("pk"))
    Adjustment.objects.bulk_create([
        Adjustment(scheme=scheme, period=period, unit=u, kind=rng.choice(["bonus", "deduction"]),
                   points=Decimal(rng.randint(1, 3)), reason="基准", entered_by=w.supervisor)
        for u in units[::9]
    ])  # fmt: skip
    rounds = []
    seconds, cpu = median_times(
        runs, lambda: rounds.append(compute_round(actor=w.supervisor, scheme=scheme, period=period)), warm=0
    )
    round_ = rounds[-1]
    ranked = round_.results.count()
    sources = sum(len(s) for s in Score.objects.filter(round=round_).values_list("sources", flat=True))
    if publish:
        publish_round(actor=w.supervisor, round=review_round(actor=w.supervisor, round=round_))
    return Measure(f"assessment round {period} ({ranked} units)", seconds, None, cpu, None, None,
                   f"< {ROUND_TARGET_S:.0f} s" if judged else "(for information)",
                   seconds < ROUND_TARGET_S if judged else None,
                   f"{round_.scores.count()} scores, {sources:,} linked records")  # fmt: skip


# ——— export ———


def export(w: World, runs: int) -> Measure:
    """The plans of the year as one .xlsx list (every task, list order, the app's rows and writer) ÷ openpyxl
    writing the same cells in write-only mode, alone."""
    from openpyxl import Workbook, load_workbook

    from tuijin.lib.spreadsheet import write_task_list
    from tuijin.tasks.exporting import export_rows, export_tasks

    def app() -> bytes:
        out = io.BytesIO()
        rows = itertools.chain.from_iterable(export_rows(export_tasks(plan)) for plan in w.plans)
        write_task_list(out, title=f"{w.year}年任务清单", rows=rows)
        return out.getvalue()

    produced = app()
    sheet = load_workbook(io.BytesIO(produced), read_only=True).worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]

    def floor() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("任务清单")
        for row in cells:
            ws.append(row)
        wb.save(io.BytesIO())

    with counting_queries() as counted:
        app()
    seconds, cpu = median_times(runs, app, warm=0)
    floor_s, floor_cpu = median_times(runs, floor, warm=0)
    tasks = len(cells) - 2
    return Measure(f"export {tasks:,} tasks to .xlsx", seconds, floor_s, cpu, floor_cpu, counted.n,
                   f"≤ {EXPORT_RATIO:.0f}× openpyxl",
                   ratio_ok(seconds, floor_s, EXPORT_RATIO), "floor: openpyxl write-only, same cells")  # fmt: skip


# ——— import ———


def ensure_units() -> None:
    """The units the generated lists name (bench/generate_list.py), where the database lacks them."""
    from generate_list import UNITS

    from tuijin.org.models import Unit
    from tuijin.org.resolve import guess_kind

    known = set(Unit.objects.values_list("name", flat=True))
    Unit.objects.bulk_create([Unit(name=n, kind=guess_kind(n)) for n in UNITS if n not in known])


def run_import(path: Path, plan_name: str, year: int) -> tuple[int, int]:
    """Preview and commit a list into a new plan, as the import pages do."""
    import sys

    from tuijin.tasks.importing import commit_import, preview_import

    with open(path, "rb") as source:
        preview = preview_import(source=source, filename=path.name, plan_name=plan_name, year=year)
    if preview.errors:
        for problem in preview.errors[:20]:
            print("  ", problem.as_line(), file=sys.stderr)
        raise SystemExit(f"the generated list has {len(preview.errors)} problems")
    result = commit_import(actor=None, preview=preview)
    return result.created, result.updated


def read_pass(path: Path) -> int:
    """openpyxl reading the same cells alone: the floor of an import."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


LIST_YEAR = 2021  # the year bench/generate_list.py writes its dates in


def import_list(w: World, runs: int, rows: int = 10_000) -> Measure:
    from generate_list import generate

    ensure_units()
    with tempfile.TemporaryDirectory(prefix="tuijin-bench-list-") as tmp:
        path = Path(tmp) / f"list-{rows}.xlsx"
        generate(path, rows)
        numbers = iter(range(1, 1000))
        with counting_queries() as counted:
            run_import(path, f"基准导入-{next(numbers)}", LIST_YEAR)
        seconds, cpu = median_times(runs, lambda: run_import(path, f"基准导入-{next(numbers)}", LIST_YEAR), warm=0)
        floor, floor_cpu = median_times(runs, lambda: read_pass(path), warm=0)
    return Measure(f"import {rows:,} rows (preview + commit)", seconds, floor, cpu, floor_cpu, counted.n,
                   f"≤ {IMPORT_RATIO:.0f}× openpyxl", ratio_ok(seconds, floor, IMPORT_RATIO),
                   "floor: openpyxl read-only pass")  # fmt: skip
