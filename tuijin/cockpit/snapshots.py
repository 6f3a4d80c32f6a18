"""Snapshots of the cockpit's figures (models.Snapshot): read by the page, counted by the tick or on demand.

A scope's snapshot is used while it was counted for today and is younger than `settings.COCKPIT_MAX_AGE`
seconds; otherwise the request counts afresh and keeps the result. The periodic pass (`tuijin tick`, step
"cockpit") recounts the scopes leaders open — the whole current year as everyone-who-sees-all sees it, and each
plan of the year somebody has opened — so that they never wait for the count. `COCKPIT_MAX_AGE = 0` turns
snapshots off (every request counts; the test settings do this).

Unit users' scopes (their units' tasks) are counted on demand and kept the same way. Snapshots hold counts and
row ids only; the page fetches the red list and photos through the user's own scope, so a snapshot never shows a
task the user may not see.
"""

from __future__ import annotations

import datetime
import time
import uuid

from django.conf import settings
from django.utils import timezone

from tuijin.org.models import Role
from tuijin.tasks.models import Plan

from . import services
from .metrics import Scope
from .models import Snapshot

KEEP_DAYS = 7  # snapshots nobody has had recounted for a week are deleted by the tick
MIN_RECOUNT_SECONDS = 30  # "recount now" does nothing on figures younger than this


def max_age() -> int:
    return int(getattr(settings, "COCKPIT_MAX_AGE", 360))


def scope_key(scope: Scope) -> str:
    who = "all" if scope.sees_all else "units:" + ",".join(map(str, sorted(scope.user.unit_ids(Role.UNIT))))
    return f"{scope.year}:{scope.plan.pk if scope.plan else 'all'}:{who}"


def is_fresh(snapshot: Snapshot | None, scope: Scope, now: datetime.datetime) -> bool:
    return (
        snapshot is not None
        and snapshot.as_of == scope.today
        and (now - snapshot.computed_at).total_seconds() <= max_age()
    )


def recount(scope: Scope, *, now: datetime.datetime | None = None) -> Snapshot:
    """Count the scope's figures and keep them (one row per scope, replaced in place)."""
    now = now or timezone.now()
    started = time.perf_counter()
    # A new version per count: the page's kept rendering of the matrix and the photo wall is keyed by it.
    figures = services.compute_figures(scope) | {"version": uuid.uuid4().hex}
    snapshot = Snapshot(
        key=scope_key(scope), year=scope.year, as_of=scope.today, computed_at=now,
        seconds=round(time.perf_counter() - started, 3), figures=figures,
    )  # fmt: skip
    # An upsert: two processes recounting the same scope at once both succeed, the later one's row stays.
    Snapshot.objects.bulk_create(
        [snapshot], update_conflicts=True, unique_fields=["key"],
        update_fields=["year", "as_of", "computed_at", "seconds", "figures"],
    )  # fmt: skip
    return snapshot


def cockpit_for(scope: Scope, *, now: datetime.datetime | None = None) -> services.Cockpit:
    """The cockpit of a scope from its snapshot, recounted first when it is missing or stale."""
    if max_age() <= 0:
        return services.build(scope)
    now = now or timezone.now()
    snapshot = Snapshot.objects.filter(key=scope_key(scope)).first()
    if not is_fresh(snapshot, scope, now):
        snapshot = recount(scope, now=now)
    key = f"{snapshot.key}@{snapshot.figures.get('version', '')}"
    return services.assemble(scope, snapshot.figures, computed_at=snapshot.computed_at, cache_key=key)


def recount_on_request(scope: Scope, *, now: datetime.datetime | None = None) -> bool:
    """ "Recount now": True when recounted, False when the figures are younger than MIN_RECOUNT_SECONDS."""
    now = now or timezone.now()
    snapshot = Snapshot.objects.filter(key=scope_key(scope)).first()
    if snapshot and snapshot.as_of == scope.today:
        if (now - snapshot.computed_at).total_seconds() < MIN_RECOUNT_SECONDS:
            return False
    recount(scope, now=now)
    return True


class Everyone:
    """The scope of those who see every task (supervisors and leaders), without a particular user."""

    is_authenticated = True
    sees_all_tasks = True

    def unit_ids(self, role=Role.UNIT) -> set[int]:
        return set()


def recount_current(now: datetime.datetime) -> str:
    """The tick's step: recount the current year for those who see all, and every plan of the year whose
    snapshot exists (somebody opened it); delete snapshots not recounted for KEEP_DAYS days."""
    if max_age() <= 0:
        return "snapshots off (COCKPIT_MAX_AGE = 0)"
    today = timezone.localtime(now).date()
    deleted, _ = Snapshot.objects.filter(computed_at__lt=now - datetime.timedelta(days=KEEP_DAYS)).delete()
    opened = set(Snapshot.objects.filter(year=today.year, key__endswith=":all").values_list("key", flat=True))
    plans = [None] + [
        p for p in Plan.objects.filter(year=today.year).order_by("pk") if f"{today.year}:{p.pk}:all" in opened
    ]
    started = time.perf_counter()
    for plan in plans:
        recount(Scope(Everyone(), year=today.year, plan=plan, today=today), now=now)
    return f"recounted: {len(plans)} in {time.perf_counter() - started:.1f} s; deleted: {deleted}"
