"""Sign-ins, sign-outs and failed sign-ins go to the audit log (等保: date and time, user, event type, outcome).

Django announces them with signals — the only place they can be seen whichever view signs people in — so this
is the one place the audit log listens to signals. Never the password: only the user name that was typed.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

LOGIN = "auth.login"
LOGOUT = "auth.logout"
LOGIN_FAILED = "auth.login_failed"


def _on_login(sender, request, user, **kwargs) -> None:
    from .audit import record

    record(actor=user, action=LOGIN, obj=user, object_repr=user.get_username())


def _on_logout(sender, request, user, **kwargs) -> None:
    from .audit import record

    if user is None:  # signing out without being signed in
        return
    reason = getattr(request, "security_logout_reason", "") if request is not None else ""
    record(actor=user, action=LOGOUT, obj=user, object_repr=user.get_username(),
           after={"reason": reason} if reason else None)  # fmt: skip


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from .audit import record

    # Django has already replaced sensitive values with stars; take the user name alone all the same.
    username = str((credentials or {}).get("username") or "")[:150]
    record(
        actor=None,
        actor_name=username or "—",
        action=LOGIN_FAILED,
        object_type="auth.user",
        object_repr=username,
        success=False,
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="tuijin.core.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="tuijin.core.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="tuijin.core.audit.login_failed")
