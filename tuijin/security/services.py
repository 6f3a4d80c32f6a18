"""Security writes: passwords, two-factor devices, locks and the policy. Each checks who may do it, saves and
writes its audit row in one transaction — never a password, hash, secret or code in before/after."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.org.models import Role

from . import otp
from .lockout import normalise
from .models import ALWAYS_TWO_FACTOR, LoginLock, RecoveryCode, SecurityPolicy, TOTPDevice
from .signin import two_factor_required


def _require_secadmin(actor) -> None:
    if actor is not None and not actor.has_role(Role.SECADMIN):
        raise PermissionDenied


def _require_self(actor, user) -> None:
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied


# ——— passwords ———


@transaction.atomic
def change_password(*, actor, user, password: str) -> None:
    """The user's own new password (validated against the policy); ends the obligation to change it."""
    _require_self(actor, user)
    validate_password(password, user)
    user.set_password(password)  # the history validator records it and the date when saved
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="security.password_change", obj=user, after={"username": user.username})


# ——— two-factor sign-in ———


def start_enrolment(*, user) -> TOTPDevice:
    """An authenticator not yet confirmed, with a fresh secret (or the one already shown, so a reload keeps
    the same QR code). Nothing changes for signing in until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationError(_("Two-factor sign-in is already on."))
    if device is None:
        device = TOTPDevice.objects.create(user=user, secret=otp.new_secret())
    return device


@transaction.atomic
def confirm_enrolment(*, actor, user, code: str) -> list[str]:
    """Turn the authenticator on with its first code; returns the recovery codes to show once."""
    _require_self(actor, user)
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise ValidationError(_("Start again: there is no authenticator waiting for its first code."))
    if not otp.verify(device, code):
        raise ValidationError(
            _("That code is not right. Check that the phone's clock is correct and enter the current code.")
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = otp.new_recovery_codes(user)
    record(actor=actor or user, action="security.two_factor_enable", obj=user,
           after={"username": user.username, "recovery_codes": len(codes)})  # fmt: skip
    return codes


@transaction.atomic
def disable_two_factor(*, actor, user) -> None:
    """Turn off one's own optional two-factor sign-in (not allowed where the policy requires it)."""
    _require_self(actor, user)
    if two_factor_required(user):
        raise ValidationError(_("Your role must sign in with two factors; it cannot be turned off."))
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        record(actor=actor, action="security.two_factor_disable", obj=user, before={"two_factor": True},
               after={"two_factor": False})  # fmt: skip


@transaction.atomic
def regenerate_recovery_codes(*, actor, user) -> list[str]:
    _require_self(actor, user)
    if not TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        raise ValidationError(_("Turn on two-factor sign-in first."))
    codes = otp.new_recovery_codes(user)
    record(actor=actor, action="security.recovery_codes_regenerate", obj=user,
           after={"username": user.username, "recovery_codes": len(codes)})  # fmt: skip
    return codes


@transaction.atomic
def note_recovery_code_used(*, user) -> None:
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    record(actor=user, action="security.recovery_code_use", obj=user, after={"recovery_codes_left": left})


@transaction.atomic
def reset_two_factor(*, actor, user) -> None:
    """The security administrator removes a user's authenticator (lost phone); the user enrols again."""
    _require_secadmin(actor)
    had = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record(actor=actor, action="security.two_factor_reset", obj=user, before={"two_factor": had},
           after={"two_factor": False})  # fmt: skip


# ——— locks ———


@transaction.atomic
def unlock_account(*, actor, user) -> int:
    """Release the sign-in locks on the user's name; returns how many were active."""
    _require_secadmin(actor)
    now = timezone.now()
    locks = LoginLock.objects.filter(
        kind=LoginLock.Kind.ACCOUNT, key=normalise(user.username), until__gt=now, released_at__isnull=True
    )
    released = locks.update(released_at=now, released_by=actor)
    if released:
        record(
            actor=actor, action="security.unlock", obj=user, before={"locked": True}, after={"locked": False}
        )
    return released


@transaction.atomic
def release_lock(*, actor, lock: LoginLock) -> None:
    _require_secadmin(actor)
    if lock.released_at is None and lock.until > timezone.now():
        lock.released_at, lock.released_by = timezone.now(), actor
        lock.save(update_fields=["released_at", "released_by"])
        record(actor=actor, action="security.unlock", obj=lock, object_repr=f"{lock.get_kind_display()} {lock.key}",
               before={"locked_until": lock.until}, after={"locked_until": None})  # fmt: skip


# ——— the policy ———


@transaction.atomic
def update_policy(*, actor, **values) -> SecurityPolicy:
    _require_secadmin(actor)
    policy = SecurityPolicy.objects.select_for_update().filter(pk=1).first() or SecurityPolicy.defaults()
    before = snapshot(policy, SecurityPolicy.AUDIT_FIELDS)
    for name, value in values.items():
        if name not in SecurityPolicy.AUDIT_FIELDS:
            raise TypeError(name)
        setattr(policy, name, value)
    policy.two_factor_roles = sorted(set(policy.two_factor_roles) | set(ALWAYS_TWO_FACTOR))
    policy.updated_at, policy.updated_by = timezone.now(), actor
    policy.save()
    after = snapshot(policy, SecurityPolicy.AUDIT_FIELDS)
    if after != before:
        record(actor=actor, action="security.policy_update", obj=policy,
               before={k: v for k, v in before.items() if after[k] != v},
               after={k: v for k, v in after.items() if before[k] != v})  # fmt: skip
    return policy
