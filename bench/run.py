"""The benchmarks in one run (`make bench`): a generated city, and for each key operation its median server time,
its floor, the ratio and its number of queries; an assessment round; an export; an import; then throughput under
gunicorn. With --province, the same pages again on ten times the data, and how much the cockpit grew.

    .venv/bin/python bench/run.py                              # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/run.py     # a throwaway PostgreSQL cluster
    .venv/bin/python bench/run.py --province --keep var/bench  # also a province; keep the generated SQLite files

Each scale runs in its own process on its own database (a new SQLite file, or a new database on the PostgreSQL
server of DATABASE_URL), generated with `tuijin generate`. Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import HERE, machine, print_machine, setup_django

COCKPIT_GROWTH = 2.0


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def print_table(measures: list[dict]) -> None:
    """Wall-clock medians (what the targets are judged on), then the same as CPU time of this process."""
    print(f"  {'operation':<44} {'median':>9} {'floor':>9} {'ratio':>7} {'queries':>7}  {'target':<26} {'verdict':<7}"
          f"  {'cpu':>9} {'cpu floor':>9} {'cpu ratio':>9}")  # fmt: skip
    for m in measures:
        ratio = f"{m['seconds'] / m['floor']:.1f}×" if m["floor"] else "—"
        cpu_ratio = f"{m['cpu'] / m['floor_cpu']:.1f}×" if m.get("cpu") and m.get("floor_cpu") else "—"
        verdict = "" if m["passed"] is None else ("PASS" if m["passed"] else "FAIL")
        queries = "—" if m["queries"] is None else str(m["queries"])
        print(f"  {m['name']:<44} {_ms(m['seconds']):>9} {_ms(m['floor']):>9} {ratio:>7} {queries:>7}  "
              f"{m['target']:<26} {verdict:<7}  {_ms(m.get('cpu')):>9} {_ms(m.get('floor_cpu')):>9} {cpu_ratio:>9}"
              f"{'  (' + m['note'] + ')' if m['note'] else ''}")  # fmt: skip


# ——— one scale, in its own process ———


def child(args) -> int:
    """Generate (or reuse) the scale's database, measure, write the results as JSON to args.out."""
    from dataclasses import asdict

    tmp = Path(tempfile.mkdtemp(prefix="tuijin-bench-"))
    try:
        db_path = tmp / "bench.sqlite3"
        cached = None
        if args.keep and not os.environ.get("DATABASE_URL"):
            cached = Path(args.keep) / f"{args.child}-seed{args.seed}-{datetime.date.today()}.sqlite3"
            if cached.exists():
                shutil.copy(cached, db_path)
        setup_django(db_path)
        import ops
        from django.core.management import call_command
        from django.db import connection
        from floors import RawDB

        print(f"\n== {args.child} on {connection.vendor} ==")
        if cached is None or not cached.exists():
            started = time.perf_counter()
            call_command("generate", scale=args.child, seed=args.seed, verbosity=0, stdout=open(os.devnull, "w"))
            print(f"  generated in {time.perf_counter() - started:.0f} s")
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                connection.close()
                shutil.copy(db_path, cached)
        else:
            print(f"  reusing {cached}")
        print_machine(tmp)
        w = ops.world()
        measures = []
        # At province scale one round, for information: its published ranking is on the cockpit at both scales.
        print("  assessment round …", flush=True)
        if args.skip_assessment:
            measures.append(ops.assessment_round(w, 1, judged=False))
        else:
            measures.append(ops.assessment_round(w, args.round_runs))
        db = RawDB()
        print("  pages …", flush=True)
        measures += ops.pages(w, db, args.runs)
        measures.append(ops.cockpit_count(w, db, max(3, args.runs // 3)))
        if args.child == "city":
            print("  export …", flush=True)
            measures.append(ops.export(w, 3))
            print("  import …", flush=True)
            measures.append(ops.import_list(w, 3))
        db.close()
        result = {"scale": args.child, "vendor": connection.vendor, "measures": [asdict(m) for m in measures],
                  "machine": dict(machine(tmp))}  # fmt: skip
        if args.users:
            from throughput import load

            from tuijin.org.models import Role, User

            print(f"  throughput: {args.users} users for {args.duration:.0f} s …", flush=True)
            units = list(User.objects.filter(memberships__role=Role.UNIT).order_by("pk")[:10])
            r = load(users=args.users, duration=args.duration, supervisor=w.supervisor, unit_users=units,
                     task_codes=[w.task_code])  # fmt: skip
            result["throughput"] = {
                "requests": r.requests, "errors": r.errors, "seconds": r.seconds, "rate": r.rate,
                "p50": statistics.median(r.all) if r.all else 0.0,
                "p95": r.p95(r.all),
                "pages": {k: {"n": len(v), "p95": r.p95(v)} for k, v in r.latencies.items()},
            }  # fmt: skip
        Path(args.out).write_text(json.dumps(result))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _scale_database(scale: str) -> str | None:
    """On PostgreSQL, each scale gets its own new database on the server of DATABASE_URL."""
    url = os.environ.get("DATABASE_URL")
    if not url or scale == "city":
        return url
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{scale}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_scale(scale: str, args) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    try:
        env = os.environ.copy()
        url = _scale_database(scale)
        if url:
            env["DATABASE_URL"] = url
        command = [sys.executable, str(HERE / "run.py"), "--child", scale, "--out", path, "--seed", str(args.seed),
                   "--runs", str(args.runs), "--round-runs", str(args.round_runs), "--users", str(args.users),
                   "--duration", str(args.duration)]  # fmt: skip
        if args.keep:
            command += ["--keep", args.keep]
        if scale != "city":
            command.append("--skip-assessment")
        done = subprocess.run(command, env=env)
        if done.returncode:
            raise SystemExit(f"the {scale} benchmark failed")
        return json.loads(Path(path).read_text())
    finally:
        os.unlink(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per page (median), default 9")
    parser.add_argument("--round-runs", type=int, default=3, help="timed assessment rounds (median), default 3")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--province", action="store_true", help="also a province (10×): the cockpit's growth")
    parser.add_argument("--users", type=int, default=20, help="concurrent users for throughput (0: skip)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load, default 20")
    parser.add_argument("--keep", help="SQLite: keep generated databases in this folder and reuse them (same day)")
    parser.add_argument("--save", help="also write the results (and the machine) as JSON to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--skip-assessment", action="store_true", help=argparse.SUPPRESS)  # one round, not judged
    args = parser.parse_args()
    if args.child:
        return child(args)

    results = [run_scale("city", args)]
    if args.province:
        results.append(run_scale("province", args))
    failed = False
    print()
    for result in results:
        print(f"== results: {result['scale']} on {result['vendor']} ==")
        print_table(result["measures"])
        failed |= any(m["passed"] is False for m in result["measures"])
        if "throughput" in result:
            t = result["throughput"]
            pages = ", ".join(f"{k} p95 {v['p95'] * 1000:,.0f} ms" for k, v in sorted(t["pages"].items()))
            print(f"  throughput: {t['rate']:.1f} requests/s over {t['seconds']:.0f} s ({t['requests']:,} requests, "
                  f"{t['errors']} errors), p50 {t['p50'] * 1000:,.0f} ms, p95 {t['p95'] * 1000:,.0f} ms; {pages}")  # fmt: skip
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if len(results) == 2:
        city, province = ({m["name"]: m for m in r["measures"]} for r in results)
        print("== city → province (10× the data) ==")
        for name, m in province.items():
            if name not in city:
                continue
            growth = m["seconds"] / city[name]["seconds"]
            same = m["queries"] == city[name]["queries"]
            line = f"  {name:<44} ×{growth:.1f} time, queries {city[name]['queries']} → {m['queries']}"
            if name.startswith("cockpit ("):
                ok = growth <= COCKPIT_GROWTH
                failed |= not ok
                line += f"  (target ≤ {COCKPIT_GROWTH:.0f}×) {'PASS' if ok else 'FAIL'}"
            failed |= not same
            print(line + ("" if same else "  FAIL: the query count depends on the rows"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
