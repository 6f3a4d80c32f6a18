"""Platform records shared by every capability: the audit log and the working-day calendar."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERMISSION_DENIED = "permission.denied"


class AuditLogIsAppendOnly(Exception):
    """Someone tried to change or delete an audit row through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    """Audit rows are appended by `tuijin.core.audit.record` and never changed; only the archive removes old ones."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be changed")

    def delete(self):
        raise AuditLogIsAppendOnly(
            "audit events cannot be deleted (tuijin audit-archive removes archived ones)"
        )

    def bulk_create(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events are appended one by one by tuijin.core.audit.record")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be changed")

    def _archive_delete(self) -> int:
        """Only for `tuijin.core.audit_archive`: remove rows already written to an archive file."""
        return models.QuerySet.delete(self)[0]

    def logins(self):
        return self.filter(action__startswith="auth.")

    def failures(self):
        return self.filter(success=False)

    def denials(self):
        return self.filter(action=PERMISSION_DENIED)

    def exports(self):
        return self.filter(models.Q(action__endswith=".export") | models.Q(action__endswith=".download"))

    def changes(self):
        """Writes to data and configuration: everything but sign-ins, denials, exports and the audit's own rows."""
        return (
            self.exclude(action__startswith="auth.")
            .exclude(action=PERMISSION_DENIED)
            .exclude(action__startswith="audit.")
            .exclude(action__endswith=".export")
            .exclude(action__endswith=".download")
        )


class AuditEvent(models.Model):
    """One event by one actor: who, when, from where, what, whether it succeeded, before → after.

    Rows form a hash chain (`seq`, `prev_hash`, `hash`; see tuijin/core/audit_chain.py) and are append-only."""

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    # PROTECT: users are deactivated, never deleted; the audit row must keep naming a real account and may not
    # be touched (SET_NULL would be an UPDATE, which the database refuses).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    success = models.BooleanField(_("succeeded"), default=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        if not self.hash or self.seq is None:
            raise AuditLogIsAppendOnly("append audit events with tuijin.core.audit.record")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class AuditHead(models.Model):
    """The chain's last link (one row, pk 1), sealed with the audit key, so a deleted tail is noticed."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """Rows up to `last_seq` were written to an archive file and removed; the chain continues from here."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    first_seq = models.BigIntegerField(_("first sequence"))
    last_seq = models.BigIntegerField(_("last sequence"), unique=True)
    last_hash = models.CharField(_("last hash"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    before = models.DateField(_("archived rows before"))
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["-last_seq"]
        verbose_name = _("audit archive checkpoint")
        verbose_name_plural = _("audit archive checkpoints")

    def __str__(self) -> str:
        return f"{self.first_seq}–{self.last_seq} {self.file_name}"


class AuditVerification(models.Model):
    """The outcome of one run of `tuijin audit-verify` (from the console or the auditor's page)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    ok = models.BooleanField(_("intact"))
    rows = models.PositiveIntegerField(_("rows verified"), default=0)
    first_seq = models.BigIntegerField(null=True, blank=True)
    last_seq = models.BigIntegerField(null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit verification")
        verbose_name_plural = _("audit verifications")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"


class CalendarDay(models.Model):
    """An admin's entry in the official calendar: a holiday, or a make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up days an admin has entered completely (covers years chinesecalendar lacks)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(auto_now=True)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)
