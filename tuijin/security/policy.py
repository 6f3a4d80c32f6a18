"""The security policy in force, read on every request without a query.

Each process keeps the policy for up to a minute, so a change reaches the other app processes within that
time; the process that saves it sees it at once. Tests start from the settings' defaults (see conftest.py)."""

from __future__ import annotations

import time

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SecurityPolicy

TTL_SECONDS = 60
_cached: tuple[float, SecurityPolicy] | None = None


def get_policy() -> SecurityPolicy:
    global _cached
    if _cached is not None and _cached[0] > time.monotonic():
        return _cached[1]
    policy = SecurityPolicy.objects.filter(pk=1).first() or SecurityPolicy.defaults()
    _cached = (time.monotonic() + TTL_SECONDS, policy)
    return policy


def use(policy: SecurityPolicy) -> None:
    """Serve `policy` from this process's cache from now on (after a save, or in tests)."""
    global _cached
    _cached = (time.monotonic() + TTL_SECONDS, policy)


def use_defaults() -> None:
    use(SecurityPolicy.defaults())


def forget() -> None:
    global _cached
    _cached = None


@receiver(post_save, sender=SecurityPolicy)
def _saved(sender, instance, **kwargs):
    use(instance)


@receiver(post_delete, sender=SecurityPolicy)
def _deleted(sender, **kwargs):
    forget()


@receiver(setting_changed)
def _setting_changed(sender, setting, **kwargs):
    if setting in (
        "PASSWORD_MIN_LENGTH", "PASSWORD_MIN_CLASSES", "PASSWORD_HISTORY", "PASSWORD_MAX_AGE_DAYS",
        "LOCKOUT_THRESHOLD", "LOCKOUT_ADDRESS_THRESHOLD", "LOCKOUT_MINUTES", "IDLE_TIMEOUT_MINUTES",
        "TWO_FACTOR_ROLES",
    ):  # fmt: skip
        forget()
