"""Failed sign-ins lock the user name and the client address (policy: 5 failures within 30 minutes lock for
30 minutes).

Locks are kept per user name *as typed* (lower case), whether or not such a user exists, so the answer never
tells an attacker which names are real. A successful sign-in starts the account's count afresh but not the
address's: otherwise one valid account would let an address guess other accounts' passwords without end.
Everything is in the database, so several app processes share the counts."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from .models import LoginAttempt, LoginLock
from .policy import get_policy

Outcome = LoginAttempt.Outcome
Kind = LoginLock.Kind


def normalise(username: str) -> str:
    return (username or "").strip().lower()[:150]


def active_lock(kind: str, key: str | None) -> LoginLock | None:
    if not key:
        return None
    return (
        LoginLock.objects.filter(kind=kind, key=key, until__gt=timezone.now(), released_at__isnull=True)
        .order_by("-until")
        .first()
    )


def blocking_lock(username: str, ip: str | None) -> LoginLock | None:
    """The lock that refuses a sign-in as `username` from `ip` now, if any (the address lock first)."""
    return active_lock(Kind.ADDRESS, ip) or active_lock(Kind.ACCOUNT, normalise(username))


def record(request, *, username: str, outcome: str, user=None, ip: str | None = None) -> LoginLock | None:
    """Write the attempt; after a failure, lock the account and/or the address if this one reached the
    threshold, and return the new lock (the account's when both)."""
    from tuijin.core.middleware import client_ip

    ip = ip if ip is not None else client_ip(request)
    attempt = LoginAttempt.objects.create(
        username=normalise(username),
        user=user if getattr(user, "pk", None) else None,
        ip=ip,
        success=outcome == Outcome.SIGNED_IN,
        outcome=outcome,
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:200],
    )
    if outcome not in (Outcome.BAD_PASSWORD, Outcome.BAD_CODE):
        return None
    policy = get_policy()
    lock = None
    for kind, key, threshold in (
        (Kind.ACCOUNT, attempt.username, policy.lockout_threshold),
        (Kind.ADDRESS, ip, policy.lockout_address_threshold),
    ):
        if key and threshold and _failures_since_reset(kind, key, attempt.at, policy) >= threshold:
            made = LoginLock.objects.create(
                kind=kind,
                key=key,
                started_at=attempt.at,
                until=attempt.at + datetime.timedelta(minutes=policy.lockout_minutes),
            )
            lock = lock or made
    return lock


def _failures_since_reset(kind: str, key: str, now: datetime.datetime, policy) -> int:
    """Failures within the window that no earlier lock, release or (for an account) success has answered."""
    since = now - datetime.timedelta(minutes=policy.lockout_minutes)
    last_lock = LoginLock.objects.filter(kind=kind, key=key).order_by("-started_at", "-id").first()
    if last_lock is not None:
        since = max(since, last_lock.ends_at)
    attempts = LoginAttempt.objects.filter(**({"username": key} if kind == Kind.ACCOUNT else {"ip": key}))
    failures = attempts.filter(at__gt=since, outcome__in=(Outcome.BAD_PASSWORD, Outcome.BAD_CODE))
    if kind == Kind.ACCOUNT:
        last_success = attempts.filter(success=True).aggregate(pk=Max("pk"))["pk"]
        if last_success is not None:
            failures = failures.filter(pk__gt=last_success)
    return failures.count()
