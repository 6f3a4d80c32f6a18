"""Authentication, two-factor sign-in and the security policy (等保 2.0 level 3)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField

# 三员 always sign in with two factors, whatever the policy says about other roles.
ALWAYS_TWO_FACTOR = ("auditor", "secadmin", "sysadmin")


class SecurityPolicy(models.Model):
    """The security administrator's rules for passwords, lockout, idle sessions and two-factor sign-in.

    One row (pk 1), created on the first change; until then the defaults come from settings."""

    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"))
    password_min_classes = models.PositiveSmallIntegerField(_("character classes required"))
    password_history = models.PositiveSmallIntegerField(_("previous passwords refused"))
    password_max_age_days = models.PositiveSmallIntegerField(_("password expires after (days)"))
    lockout_threshold = models.PositiveSmallIntegerField(_("failed sign-ins before an account is locked"))
    lockout_address_threshold = models.PositiveSmallIntegerField(
        _("failed sign-ins before an address is locked")
    )
    lockout_minutes = models.PositiveSmallIntegerField(_("lockout (minutes)"))
    idle_minutes = models.PositiveSmallIntegerField(_("idle sessions end after (minutes)"))
    two_factor_roles = models.JSONField(_("roles that must use two-factor sign-in"), default=list)
    updated_at = models.DateTimeField(_("changed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    AUDIT_FIELDS = [
        "password_min_length", "password_min_classes", "password_history", "password_max_age_days",
        "lockout_threshold", "lockout_address_threshold", "lockout_minutes", "idle_minutes", "two_factor_roles",
    ]  # fmt: skip

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def defaults(cls) -> SecurityPolicy:
        """The policy settings.py describes, unsaved."""
        return cls(
            pk=1,
            password_min_length=settings.PASSWORD_MIN_LENGTH,
            password_min_classes=settings.PASSWORD_MIN_CLASSES,
            password_history=settings.PASSWORD_HISTORY,
            password_max_age_days=settings.PASSWORD_MAX_AGE_DAYS,
            lockout_threshold=settings.LOCKOUT_THRESHOLD,
            lockout_address_threshold=settings.LOCKOUT_ADDRESS_THRESHOLD,
            lockout_minutes=settings.LOCKOUT_MINUTES,
            idle_minutes=settings.IDLE_TIMEOUT_MINUTES,
            two_factor_roles=sorted(set(settings.TWO_FACTOR_ROLES) | set(ALWAYS_TWO_FACTOR)),
        )


class PasswordHistory(models.Model):
    """A password a user has had (its hash), so the last few cannot be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="password_history", on_delete=models.CASCADE
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="security_pwhist_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginAttempt(models.Model):
    """One try to sign in: the user name typed, from where, when, and how it ended."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", _("signed in")
        BAD_PASSWORD = "bad_password", _("wrong user name or password")
        BAD_CODE = "bad_code", _("wrong verification code")
        LOCKED = "locked", _("refused: locked")

    username = models.CharField(_("user name"), max_length=150, db_index=True)  # lower case, as typed
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="login_attempts",
        on_delete=models.SET_NULL,
    )
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    success = models.BooleanField(_("success"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "at"], name="security_attempt_user"),
            models.Index(fields=["ip", "at"], name="security_attempt_ip"),
        ]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip} {self.outcome}"


class LoginLock(models.Model):
    """A user name or a client address refused sign-in until a time, after too many failures."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("address")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("user name or address"), max_length=150)
    started_at = models.DateTimeField(_("locked at"), default=timezone.now)
    until = models.DateTimeField(_("locked until"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "key", "until"], name="security_lock_key")]
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.until:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.released_at or self.until


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238 time-based codes); usable once confirmed with a first code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="totp_device", on_delete=models.CASCADE
    )
    secret = EncryptedCharField(_("secret"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("enabled"), null=True, blank=True)
    # The last 30-second step whose code was accepted: a code is good once (no replay).
    last_used_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"{self.user} {'✓' if self.confirmed_at else '…'}"


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="recovery_codes", on_delete=models.CASCADE
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"], name="security_recovery_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"

    @staticmethod
    def hash(code: str) -> str:
        # Codes carry 50 random bits, so a plain digest is enough (as for API tokens).
        return hashlib.sha256(code.encode()).hexdigest()


class RateCounter(models.Model):
    """Requests counted for one key (a client address, an API token) in one fixed window; shared by all app
    processes because it lives in the database."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["key", "window_start"], name="security_rate_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M} {self.hits}"
