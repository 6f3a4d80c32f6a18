"""Security pages: my account (password, two-factor, recent sign-ins), the security policy and locks (the
security administrator), and the security administrator's actions on a user's page."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tuijin.org.models import Role, User

from . import services, signin
from .forms import CodeForm, ConfirmPasswordForm, PasswordChangeForm, PolicyForm
from .lockout import normalise
from .models import LoginAttempt, LoginLock, RecoveryCode, TOTPDevice
from .passwords import expires_at, is_expired
from .policy import get_policy
from .views_signin import enrol_context, recovery_codes_page


def _require_secadmin(user) -> None:
    if not user.has_role(Role.SECADMIN):
        raise PermissionDenied


# ——— my account ———


@sensitive_post_parameters()
@login_required
def password_change(request):
    user = request.user
    policy = get_policy()
    reason = "initial" if user.must_change_password else "expired" if is_expired(user, policy) else ""
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("security_account" if not reason else "home")
    return render(
        request, "security/password_change.html", {"form": form, "reason": reason, "policy": policy}
    )


@login_required
def account(request):
    user = request.user
    policy = get_policy()
    device = TOTPDevice.objects.filter(user=user).first()
    attempts = LoginAttempt.objects.filter(username=normalise(user.username))[:10]
    context = {
        "policy": policy,
        "device": device if device and device.confirmed_at else None,
        "required": signin.two_factor_required(user, policy),
        "codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "attempts": attempts,
        "expires_at": expires_at(user, policy),
        "confirm_form": ConfirmPasswordForm(user=user),
    }
    return render(request, "security/account.html", context)


@login_required
def two_factor_enrol(request):
    """Turn on two-factor sign-in from one's account page (optional roles, or after a reset)."""
    user = request.user
    if signin.confirmed_device(user) is not None:
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("security_account")
    device = services.start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(actor=user, user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return recovery_codes_page(request, codes, reverse("security_account"))
    return render(request, "security/enrol.html", enrol_context(user, device, form, during_login=False))


def _confirmed(request) -> bool:
    form = ConfirmPasswordForm(request.POST, user=request.user)
    if form.is_valid():
        return True
    messages.error(request, _("That is not your password; nothing was changed."))
    return False


@sensitive_post_parameters()
@login_required
@require_POST
def two_factor_disable(request):
    if _confirmed(request):
        try:
            services.disable_two_factor(actor=request.user, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Two-factor sign-in is off."))
    return redirect("security_account")


@sensitive_post_parameters()
@login_required
@require_POST
def recovery_codes_regenerate(request):
    if _confirmed(request):
        try:
            codes = services.regenerate_recovery_codes(actor=request.user, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return recovery_codes_page(request, codes, reverse("security_account"))
    return redirect("security_account")


# ——— the security administrator ———


@login_required
def policy(request):
    _require_secadmin(request.user)
    current = get_policy()
    form = PolicyForm(request.POST or None, instance=copy.copy(current))  # the form must not touch the cache
    if request.method == "POST" and form.is_valid():
        services.update_policy(
            actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Security policy saved. Other app processes apply it within a minute."))
        return redirect("security_policy")
    locks = LoginLock.objects.filter(until__gt=timezone.now(), released_at__isnull=True).order_by("until")
    return render(request, "security/policy.html", {"form": form, "policy": current, "locks": locks})


@login_required
@require_POST
def lock_release(request):
    _require_secadmin(request.user)
    lock_id = request.POST.get("lock") or ""
    lock = get_object_or_404(LoginLock, pk=int(lock_id) if lock_id.isdigit() else 0)
    services.release_lock(actor=request.user, lock=lock)
    messages.success(request, _("Released the lock on %(key)s.") % {"key": lock.key})
    return redirect("security_policy")


@login_required
@require_POST
def user_unlock(request, code):
    _require_secadmin(request.user)
    subject = get_object_or_404(User, code=code)
    if services.unlock_account(actor=request.user, user=subject):
        messages.success(request, _("%(user)s can sign in again.") % {"user": subject})
    else:
        messages.info(request, _("%(user)s was not locked.") % {"user": subject})
    return redirect("user_detail", code=subject.code)


@login_required
@require_POST
def user_two_factor_reset(request, code):
    _require_secadmin(request.user)
    subject = get_object_or_404(User, code=code)
    services.reset_two_factor(actor=request.user, user=subject)
    messages.success(
        request,
        _(
            "Two-factor sign-in of %(user)s was reset; they set up their authenticator app at the next sign-in."
        )
        % {"user": subject},
    )
    return redirect("user_detail", code=subject.code)
