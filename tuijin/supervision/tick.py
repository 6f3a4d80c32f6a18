"""One pass of the periodic work (`tuijin tick`): statuses and warnings, reminders, orders, sending.

Every step is idempotent — run twice at the same `now`, the second pass changes and sends nothing — and a
failing step is logged and reported without stopping the steps after it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from tuijin.notifications import services as notifications
from tuijin.tasks.services import refresh_all_statuses

from . import reminders
from .warnings import open_counts, resolve_closed

log = logging.getLogger(__name__)


@dataclass
class StepResult:
    name: str
    summary: str
    ok: bool = True


def step_statuses(now: datetime.datetime) -> str:
    # The status refresh calls sync_warnings for every task through tasks.hooks.after_status_refresh.
    changed = refresh_all_statuses(today=timezone.localdate(now))
    resolved = resolve_closed(now)
    counts = open_counts()
    return f"changed: {changed}; open warnings: red {counts['red']}, yellow {counts['yellow']}" + (
        f"; resolved on closed tasks: {resolved}" if resolved else ""
    )


def step_reminders(now: datetime.datetime) -> str:
    deadlines = reminders.remind_deadlines(now)
    reports = reminders.remind_reports(now)
    return f"deadline notices: {deadlines}, report notices: {reports}"


def step_orders(now: datetime.datetime) -> str:
    # Supervision orders are optional to this pass: the step does what the orders module offers.
    from . import orders

    parts = []
    process_lapsed = getattr(orders, "process_lapsed", None)
    if process_lapsed is not None:
        parts.append(f"lapsed: {len(process_lapsed(now=now))}")
    suggest_orders = getattr(orders, "suggest_orders", None)
    if suggest_orders is not None:
        parts.append(f"suggested: {len(suggest_orders(now=now))}")
    return ", ".join(parts) or "nothing to do"


def step_sending(now: datetime.datetime) -> str:
    immediate = notifications.send_pending(now=now)
    digests = notifications.send_digests(now=now)
    return f"immediate: {immediate}, digests: {digests}"


def step_party(now: datetime.datetime) -> str:
    """双报到: remind members without service this quarter; quarterly feedback to their employers."""
    from tuijin.partybuilding.feedback import run_periodic

    return run_periodic(now)


def step_investment(now: datetime.datetime) -> str:
    """Task measures bound to the investment pipeline (自动统计), recomputed."""
    from tuijin.investment.measures import refresh_all

    return f"bound measures changed: {refresh_all(now=now)}"


def step_spaces(now: datetime.datetime) -> str:
    """拎包入住: publicity ended → queue, lease renewal reminders, overdue reviews."""
    from tuijin.spaces.services import run_daily

    counts = run_daily(today=timezone.localtime(now).date())
    return ", ".join(f"{k}: {v}" for k, v in counts.items())


def step_servicedesk(now: datetime.datetime) -> str:
    """企业诉求: provisional clocks recomputed, late acknowledgements reminded, overdue requests escalated."""
    from tuijin.servicedesk.tick import step_servicedesk as run

    return run(now)


def step_cockpit(now: datetime.datetime) -> str:
    """The cockpit's figures recounted for the scopes leaders open (cockpit/snapshots.py)."""
    from tuijin.cockpit.snapshots import recount_current

    return recount_current(now)


STEPS: list[tuple[str, Callable[[datetime.datetime], str]]] = [
    ("statuses", step_statuses),
    ("reminders", step_reminders),
    ("orders", step_orders),
    ("party", step_party),
    ("investment", step_investment),
    ("spaces", step_spaces),
    ("servicedesk", step_servicedesk),
    ("sending", step_sending),
    ("cockpit", step_cockpit),
]


def run_tick(*, now: datetime.datetime | None = None) -> list[StepResult]:
    """Run every step once as of `now` (default: the current time)."""
    now = now or timezone.now()
    results = []
    for name, step in STEPS:
        try:
            results.append(StepResult(name, step(now)))
        except Exception as exc:  # one broken step must not keep the others (reminders, sending) from running
            log.exception("tick step %s failed", name)
            results.append(StepResult(name, f"failed: {type(exc).__name__}: {exc}", ok=False))
    return results
