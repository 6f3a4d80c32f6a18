"""The steps of signing in: password, then (where it applies) the authenticator code, then the session.

The two-factor gate lives here, in the sign-in views — the only way a browser gets a session — and not in a
middleware: tests sign in with `client.force_login`, which skips these steps by design. Between the steps the
session holds only the pending user's id; nobody is signed in until `finish` calls Django's `login`, which
sends the `user_logged_in` signal the audit log listens to."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model, login, user_login_failed
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import lockout
from .models import LoginLock, TOTPDevice
from .policy import get_policy

PENDING = "security.pending"
ACTIVITY = "security.activity"
PENDING_SECONDS = 300


def two_factor_required(user, policy=None) -> bool:
    policy = policy or get_policy()
    return user.has_role(*policy.two_factor_roles)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def local_time(moment) -> str:
    """2026年11月26日 14:30, in the site's time zone."""
    moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def lock_message(lock: LoginLock) -> str:
    if lock.kind == LoginLock.Kind.ADDRESS:
        text = _(
            "Too many failed sign-ins from your network address. Signing in from it is locked until %(until)s."
        )
    else:
        text = _(
            "Too many failed sign-ins for this user name. It is locked until %(until)s. If you need to sign in "
            "sooner, ask the security administrator to unlock it."
        )
    return text % {"until": local_time(lock.until)}


def login_failed(request, username: str) -> None:
    """Tell the audit log about a failure Django's `authenticate` did not see (a locked name, a wrong code)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# ——— between the password and the code ———


def start_pending(request, user, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "since": int(time.time()),
    }


def pending_user(request):
    """The user who gave the right password and still owes a code, or None (nobody, or too long ago)."""
    data = request.session.get(PENDING)
    if not data or int(time.time()) - data.get("since", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is not None:
        user.backend = data["backend"]
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING) or {}).get("next", "")


def clear_pending(request) -> None:
    request.session.pop(PENDING, None)


def finish(request, user) -> None:
    """Sign the user in and note the success (which starts the account's failure count afresh)."""
    clear_pending(request)
    login(request, user)
    lockout.record(request, username=user.username, outcome=lockout.Outcome.SIGNED_IN, user=user)


def mark_activity(sender, request, user, **kwargs) -> None:
    """On every sign-in (including tests' `force_login`), the idle clock starts now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[ACTIVITY] = int(time.time())
