"""What the benchmarks share: Django on a temporary database, timing, sign-in sessions, the machine's description.

Every script sets Django up itself (`tuijin.settings_test`: fixed keys, fast password hashing) against
DATABASE_URL when it is set (`scripts/with-postgres.sh` sets it) or else a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

HOST = "127.0.0.1"


def setup_django(db_path: Path | None = None, *, migrate: bool = True) -> None:
    """Django with the test settings on DATABASE_URL, else on a SQLite file at `db_path`."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuijin.settings_test"
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    # The API's rate limiter still counts every call (its UPDATE is part of the time measured); it must not
    # answer 429 to a benchmark that calls the same endpoint many times a minute.
    os.environ.setdefault("API_RATE_LIMIT", "1000000")
    # The cockpit as deployed: figures counted and kept (cockpit/snapshots.py), not counted on every request.
    os.environ.setdefault("COCKPIT_MAX_AGE", "360")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


# ——— timing ———


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(n: int, fn: Callable[[], object], *, warm: int = 1) -> float:
    """Median wall time of `n` calls after `warm` untimed ones (caches filled, templates compiled)."""
    return median_times(n, fn, warm=warm)[0]


def median_times(n: int, fn: Callable[[], object], *, warm: int = 1) -> tuple[float, float]:
    """(median wall time, median CPU time of this process) of `n` calls after `warm` untimed ones.

    On a shared machine the wall time includes waiting for a core; the CPU time does not, so it is the steadier
    figure under load. On SQLite the database engine runs inside this process and its work is in the CPU time;
    on PostgreSQL the server's work is in another process and only in the wall time."""
    for _ in range(warm):
        fn()
    walls, cpus = [], []
    for _ in range(n):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def best_of(n: int, fn: Callable[[], object]) -> float:
    return min(timed(fn) for _ in range(n))


@contextmanager
def counting_queries():
    """Counts the SQL statements Django runs (`.n`), across reconnects: SQLite closes after every request."""
    from django.db import connection

    class Counter:
        n = 0

    def wrapper(execute, sql, params, many, context):
        Counter.n += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield Counter


# ——— signed-in users without the sign-in form ———


def session_key(user) -> str:
    """A session as the sign-in leaves it — user, backend, hash and the idle clock — without going through the
    form (supervisors would need a one-time code) and without an audit row for a sign-in that did not happen."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tuijin.security.signin import ACTIVITY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[ACTIVITY] = int(time.time())
    session.create()
    return session.session_key


def client_for(user):
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key(user)
    return client


# ——— the machine ———


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory() -> str:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def _disk(path: Path) -> str:
    usage = shutil.disk_usage(path)
    device = ""
    try:
        out = subprocess.run(["df", "--output=source", str(path)], capture_output=True, text=True, timeout=5)
        source = out.stdout.split()[-1]
        name = Path(source).name.rstrip("0123456789")
        rotational = _read(f"/sys/block/{name}/queue/rotational").strip()
        kind = {"0": "kernel: non-rotational", "1": "kernel: rotational"}.get(rotational, "?")
        device = f"{source} ({kind}), "
    except (OSError, IndexError, subprocess.SubprocessError):
        pass
    return f"{device}{usage.free / 2**30:.0f} GiB free of {usage.total / 2**30:.0f} GiB"


def machine(db_dir: Path) -> list[tuple[str, str]]:
    """The machine and the software the figures come from (printed with them, copied into PERFORMANCE.md)."""
    import django
    import openpyxl
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.pg_version
        database = f"PostgreSQL {version // 10000}.{version % 10000} (psycopg {_version('psycopg')})"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (file, WAL)"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("CPU", f"{_cpu_model()}, {os.cpu_count()} cores"),
        ("memory", _memory()),
        ("disk", _disk(db_dir)),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("database", database),
        ("openpyxl", openpyxl.__version__),
        ("load average (1/5/15 min) at start", load),
    ]


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def print_machine(db_dir: Path) -> None:
    for label, value in machine(db_dir):
        print(f"  {label:<36} {value}")
    busy = os.getloadavg()[0]
    if busy > (os.cpu_count() or 1) * 0.5:
        print(f"  NOTE: the machine is busy (load {busy:.1f}); timings will be noisy and slower than on a quiet one.")
