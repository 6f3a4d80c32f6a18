"""Where a page's CPU goes: the task lists and the task page of bench/run.py, many times, under a profiler.

Runs against an already generated SQLite file (copied first, so that the session writes do not touch it):

    .venv/bin/python bench/profile_page.py --db /tmp/prof_city.sqlite3               # medians only
    .venv/bin/python bench/profile_page.py --db /tmp/prof_city.sqlite3 --profile     # + cProfile, top functions
    .venv/bin/python bench/profile_page.py --db ... --page list-unit --profile --sort tottime --top 60
    .venv/bin/python bench/profile_page.py --db ... --nodes      # exclusive time per template line
    .venv/bin/python bench/profile_page.py --db ... --sql        # the statements of one request
    .venv/bin/python bench/profile_page.py --db ... --dump DIR   # each page's HTML, to diff before/after a change

Generate the file once with `tuijin migrate && tuijin generate --scale city` on DATABASE_URL=sqlite:///<file>.
Prints, per page: median CPU ms of a request (after warm-up, same session, as bench/run.py measures), the number
of queries, the CPU ms spent inside the SQL calls (cursor.execute + fetch, which is the part a floor also pays)
and the rest (Django: middleware, view, ORM instance building, template rendering).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import client_for, counting_queries, setup_django


def sql_timer():
    """A connection.execute_wrapper that adds the CPU time of each statement (execute and fetch) to `.cpu`."""

    class Timer:
        cpu = 0.0
        n = 0

        def __call__(self, execute, sql, params, many, context):
            start = time.process_time()
            try:
                return execute(sql, params, many, context)
            finally:
                Timer.cpu += time.process_time() - start
                Timer.n += 1

    return Timer()


class NodeTimer:
    """Exclusive CPU time per template line (`--nodes`): wraps Node.render_annotated while installed.

    Each node's time minus the time of the nodes rendered inside it, summed by (template, line, tag)."""

    def __init__(self):
        self.totals: dict[tuple[str, int, str], list] = {}
        self.stack: list[float] = []

    def __enter__(self):
        from django.template.base import Node, TextNode

        self.original = original = Node.render_annotated
        timer = self

        def render_annotated(node, context):
            if isinstance(node, TextNode):
                return original(node, context)
            start = time.process_time()
            timer.stack.append(0.0)
            try:
                return original(node, context)
            finally:
                spent = time.process_time() - start
                inner = timer.stack.pop()
                if timer.stack:
                    timer.stack[-1] += spent
                token = getattr(node, "token", None)
                origin = getattr(node, "origin", None)
                key = (getattr(origin, "template_name", None) or "?", getattr(token, "lineno", 0) or 0,
                       (getattr(token, "contents", "") or type(node).__name__)[:70])  # fmt: skip
                entry = timer.totals.setdefault(key, [0.0, 0])
                entry[0] += spent - inner
                entry[1] += 1

        Node.render_annotated = render_annotated
        return self

    def __exit__(self, *exc):
        from django.template.base import Node

        Node.render_annotated = self.original

    def report(self, requests: int, top: int) -> None:
        rows = sorted(self.totals.items(), key=lambda kv: -kv[1][0])[:top]
        total = sum(v[0] for v in self.totals.values())
        print(
            f"  template nodes: {total / requests * 1000:.2f} ms exclusive per request (timer overhead included)"
        )
        for (name, line, contents), (spent, calls) in rows:
            print(f"  {spent / requests * 1000:6.2f} ms {calls / requests:6.0f}×  {name}:{line}  {contents}")


def pages(world) -> dict[str, tuple[object, str]]:
    return {
        "list-unit": (world["unit_user"], "/tasks/?status=warning"),
        "list-sup": (world["supervisor"], "/tasks/?status=warning"),
        "task-sup": (world["supervisor"], f"/tasks/{world['task_code']}/"),
    }


def find_world() -> dict:
    """The same people and task bench/ops.py picks (without issuing an API token)."""
    from django.db.models import Count
    from django.utils import timezone

    from tuijin.org.models import Role, User
    from tuijin.tasks.models import Plan, Task, TaskUnit

    today = timezone.localdate()
    supervisor = User.objects.filter(memberships__role=Role.SUPERVISOR).order_by("pk").first()
    busiest = (
        TaskUnit.objects.values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit_id")
        .first()["unit_id"]
    )
    unit_user = User.objects.filter(memberships__role=Role.UNIT, memberships__unit_id=busiest).first()
    plan = Plan.objects.filter(year=today.year).order_by("pk").first()
    candidates = list(
        Task.objects.filter(plan=plan, status="overdue")
        .annotate(n=Count("reports"))
        .order_by("n", "pk")
        .values_list("code", "n")[:2000]
    )
    code, reports = candidates[len(candidates) // 2]
    return {"supervisor": supervisor, "unit_user": unit_user, "task_code": code, "reports": reports}


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    client.get(url)
    with counting_queries() as counted:
        client.get(url)
    cpus, sqls = [], []
    for _ in range(runs):
        timer = sql_timer()
        with connection.execute_wrapper(timer):
            start = time.process_time()
            client.get(url)
            cpus.append(time.process_time() - start)
        sqls.append(timer.cpu)
    return {"cpu": statistics.median(cpus), "min": min(cpus), "sql": statistics.median(sqls), "queries": counted.n,
            "bytes": len(response.content)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a generated SQLite file (copied, never written)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--page", action="append", help="list-unit, list-sup, task-sup (default: all)")
    parser.add_argument(
        "--profile", action="store_true", help="also run cProfile over --profile-runs requests"
    )
    parser.add_argument("--profile-runs", type=int, default=50)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--width", type=int, default=220, help="--sql: characters of each statement shown")
    parser.add_argument("--strip", action="store_true", help="--profile: file names without their folders")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    parser.add_argument("--nodes", action="store_true", help="also time template lines (exclusive time)")
    parser.add_argument("--dump", help="write the HTML of each page to this folder (to compare before/after)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tuijin-profile-"))
    try:
        db = tmp / "db.sqlite3"
        shutil.copy(args.db, db)
        setup_django(db, migrate=False)
        world = find_world()
        print(f"task page: {world['task_code']} ({world['reports']} reports)")
        chosen = pages(world)
        for name in args.page or list(chosen):
            user, url = chosen[name]
            client = client_for(user)
            m = measure(client, url, args.runs)
            print(f"{name:<10} {url:<60} cpu median {m['cpu'] * 1000:6.1f} ms (min {m['min'] * 1000:5.1f})  "
                  f"sql {m['sql'] * 1000:5.1f} ms  rest {(m['cpu'] - m['sql']) * 1000:5.1f} ms  "
                  f"queries {m['queries']}  html {m['bytes']:,} B")  # fmt: skip
            if args.dump:
                out = Path(args.dump)
                out.mkdir(parents=True, exist_ok=True)
                html = client.get(url).content.decode()
                (out / f"{name}.html").write_text(html)
            if args.sql:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                for q in captured.captured_queries:
                    print(f"  {q['time']:>6} {q['sql'][: args.width]}")
            if args.nodes:
                with NodeTimer() as nodes:
                    for _ in range(args.profile_runs):
                        client.get(url)
                nodes.report(args.profile_runs, args.top)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.profile_runs):
                    client.get(url)
                profiler.disable()
                stats = pstats.Stats(profiler, stream=sys.stdout)
                if args.strip:
                    stats.strip_dirs()
                stats.sort_stats(args.sort).print_stats(args.top)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
