"""Import benchmark: how much slower than reading the workbook is importing it, and how much memory it takes.

    .venv/bin/python bench/import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://… .venv/bin/python bench/import.py

(a) a 10,000-task list: openpyxl's read-only pass (best of 3) against the full import — preview and commit
    into the database, best of 3 on fresh plans; target ratio ≤ 2.0.
(b) a 100,000-task list imported (preview and commit) in a subprocess; its peak resident memory
    (ru_maxrss) must stay under 300 MB.

Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 300
ROWS_TIME = 10_000
ROWS_MEMORY = 100_000


def setup_django(db_path: Path | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuijin.settings_test"
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()


def ensure_units() -> None:
    from generate_list import UNITS

    from tuijin.org.models import Unit
    from tuijin.org.resolve import guess_kind

    known = set(Unit.objects.values_list("name", flat=True))
    Unit.objects.bulk_create([Unit(name=n, kind=guess_kind(n)) for n in UNITS if n not in known])


def run_import(path: Path, plan_name: str) -> tuple[int, int]:
    from tuijin.tasks.importing import commit_import, preview_import

    with open(path, "rb") as source:
        preview = preview_import(source=source, filename=path.name, plan_name=plan_name, year=2021)
    if preview.errors:
        for problem in preview.errors[:20]:
            print("  ", problem.as_line(), file=sys.stderr)
        raise SystemExit(f"the generated list has {len(preview.errors)} problems")
    result = commit_import(actor=None, preview=preview)
    return result.created, result.updated


def read_pass(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


def best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def memory_child(path: Path, db_path: Path) -> None:
    """Runs in its own process so the peak is the import's alone (plus Django)."""
    setup_django(db_path)
    start = time.perf_counter()
    created, _updated = run_import(path, "bench-memory")
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(f"{created} {elapsed:.2f} {peak_kb}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--memory-child", nargs=2, metavar=("LIST", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=ROWS_TIME)
    parser.add_argument("--memory-rows", type=int, default=ROWS_MEMORY)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(Path(args.memory_child[0]), Path(args.memory_child[1]))
        return 0

    from generate_list import generate

    failed = False
    with tempfile.TemporaryDirectory(prefix="tuijin-bench-") as tmp:
        tmpdir = Path(tmp)
        db_path = tmpdir / "bench.sqlite3"
        setup_django(db_path)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        ensure_units()
        print(f"database: {connection.vendor}; cpus: {os.cpu_count()}")

        # (a) time
        small = tmpdir / "list-10k.xlsx"
        generate(small, args.rows)
        size_kb = small.stat().st_size // 1024
        read = best_of(3, lambda: read_pass(small))
        runs = iter(range(1, 100))
        full = best_of(3, lambda: run_import(small, f"bench-{next(runs)}"))
        ratio = full / read
        ok = ratio <= RATIO_TARGET
        failed |= not ok
        print(f"(a) {args.rows} tasks, {size_kb} KB")
        print(f"    openpyxl read-only pass (best of 3): {read:.2f} s")
        print(f"    full import, preview + commit (best of 3): {full:.2f} s")
        print(f"    ratio {ratio:.2f} (target ≤ {RATIO_TARGET}) {'PASS' if ok else 'FAIL'}")

        # (b) memory
        big = tmpdir / "list-100k.xlsx"
        generate(big, args.memory_rows)
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(big), str(db_path)],
            capture_output=True, text=True, env=os.environ.copy(),
        )  # fmt: skip
        if out.returncode:
            print(out.stdout, out.stderr, file=sys.stderr)
            print("(b) FAIL: the import process failed")
            return 1
        created, elapsed, peak_kb = out.stdout.split()[-3:]
        peak_mb = int(peak_kb) / 1024
        ok = peak_mb < MEMORY_TARGET_MB
        failed |= not ok
        print(f"(b) {created} tasks imported in {float(elapsed):.1f} s")
        print(
            f"    peak memory (ru_maxrss): {peak_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB) {'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
