"""Password history and expiry."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from .models import PasswordHistory

KEEP = 24  # history rows kept per user, whatever the policy's count (it may be raised later)


def remember_password(user, raw: str | None = None) -> None:
    """Record the user's new password hash and the date of the change (called after every `set_password`)."""
    latest = PasswordHistory.objects.filter(user=user).first()
    if latest is not None and raw is not None and check_password(raw, latest.password):
        return  # the same password re-hashed (a stronger hasher on sign-in): not a change
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[KEEP:]
    if stale:
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    get_user_model().objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now


def expires_at(user, policy) -> datetime.datetime | None:
    """When the user's password expires under `policy`; None when it never does (or its age is unknown)."""
    if not policy.password_max_age_days or user.password_changed_at is None:
        return None
    return user.password_changed_at + datetime.timedelta(days=policy.password_max_age_days)


def is_expired(user, policy) -> bool:
    end = expires_at(user, policy)
    return end is not None and end <= timezone.now()
