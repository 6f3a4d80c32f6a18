"""Fixed-window request limits kept in the database, so every app process counts against the same limit.

One row per key, moved on to the current window when the key comes back: an allowed request costs one UPDATE,
the first of a window two, and a key never seen before four."""

from __future__ import annotations

import datetime
import hashlib
import math

from django.db.models import F
from django.utils import timezone

from .models import RateCounter

PERIOD = 60  # seconds: limits are "per minute"


def key_for(*parts: str) -> str:
    """A short key for a bucket; long or secret parts (API tokens) are hashed."""
    return ":".join(parts[:-1] + (hashlib.sha256(parts[-1].encode()).hexdigest()[:40],))[:100]


def hit(key: str, limit: int, period: int = PERIOD) -> int:
    """Count one request for `key`; 0 if it is allowed, else the seconds until the window ends (Retry-After).

    A limit of 0 or less turns the check off."""
    if limit <= 0:
        return 0
    now = timezone.now()
    start = datetime.datetime.fromtimestamp(int(now.timestamp()) // period * period, tz=datetime.UTC)
    retry_after = max(1, math.ceil((start + datetime.timedelta(seconds=period) - now).total_seconds()))
    rows = RateCounter.objects.filter(key=key)
    if rows.filter(window_start=start, hits__lt=limit).update(hits=F("hits") + 1):
        return 0
    if rows.filter(window_start__lt=start).update(window_start=start, hits=1):
        return 0
    if rows.filter(window_start=start).exists():
        # Full, or another process has just started this window: one more try to count in it.
        if rows.filter(window_start=start, hits__lt=limit).update(hits=F("hits") + 1):
            return 0
        return retry_after
    RateCounter.objects.create(key=key, window_start=start, hits=1)
    return 0
