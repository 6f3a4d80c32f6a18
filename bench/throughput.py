"""Throughput under concurrent load: gunicorn with 2 workers on loopback, N users for a bounded time.

Each simulated user holds a real session cookie (made directly in the session store, see common.session_key) and
a keep-alive connection, and cycles through its pages — the cockpit, the task list with a status filter and a task
page — one request after the other, with no think time. Bounded three ways: the duration, a cap on the number of
requests, and a timeout per request. Loopback only; the load generator runs on the same 2 cores as the server.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from common import HOST, ROOT, session_key

MAX_REQUESTS = 100_000
REQUEST_TIMEOUT = 30


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: dict[str, list[float]]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @staticmethod
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0.0)

    @property
    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int = 2) -> subprocess.Popen:
    env = os.environ.copy()  # DJANGO_SETTINGS_MODULE, DATABASE_URL and API_RATE_LIMIT as set up by common
    command = [sys.executable, "-m", "gunicorn", "tuijin.wsgi:application", "--workers", str(workers),
               "--bind", f"{HOST}:{port}", "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its master and workers: the process group it leads)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _user(port: int, cookie: str, urls: list[tuple[str, str]], until: float, result: LoadResult, lock, counter):
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    headers = {"Cookie": cookie, "Host": HOST}
    i = 0
    while time.monotonic() < until:
        with lock:
            if counter[0] >= MAX_REQUESTS:
                return
            counter[0] += 1
        label, url = urls[i % len(urls)]
        i += 1
        start = time.perf_counter()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        elapsed = time.perf_counter() - start
        with lock:
            if ok:
                result.latencies[label].append(elapsed)
                result.requests += 1
            else:
                result.errors += 1
    connection.close()


def load(*, users: int, duration: float, supervisor, unit_users: list, task_codes: list, workers: int = 2) -> LoadResult:
    """`users` concurrent sessions (half the supervisor, half unit users) against gunicorn for `duration` s."""
    from django.conf import settings
    from django.db import connection

    from tuijin.tasks.models import Task

    people = [supervisor if i % 2 == 0 else unit_users[i // 2 % len(unit_users)] for i in range(users)]
    plans = []
    for i, person in enumerate(people):
        code = task_codes[i % len(task_codes)]
        if person is not supervisor:  # a task this unit user can see
            found = Task.objects.visible_to(person).order_by("pk").values_list("code", flat=True)[:1]
            code = found[0] if found else code
        urls = [("cockpit", "/cockpit/"), ("task list", "/tasks/?status=warning"), ("task page", f"/tasks/{code}/")]
        plans.append((f"{settings.SESSION_COOKIE_NAME}={session_key(person)}", urls[i % 3 :] + urls[: i % 3]))
    connection.close()  # SQLite: let the server's workers have the file to themselves
    port = free_port()
    server = start_gunicorn(port, workers)
    try:
        result = LoadResult(0, 0, 0.0, defaultdict(list))
        lock, counter = threading.Lock(), [0]
        started = time.monotonic()
        until = started + duration
        threads = [threading.Thread(target=_user, args=(port, cookie, urls, until, result, lock, counter))
                   for cookie, urls in plans]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=duration + REQUEST_TIMEOUT + 5)
        result.seconds = time.monotonic() - started
    finally:
        stop(server)
    return result
