"""System checks for the audit log's settings (see tuijin/core/audit_chain.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .audit_chain import MINIMUM_RETENTION_DAYS


@register(Tags.security, deploy=False)
def check_audit_retention(app_configs, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be at least {MINIMUM_RETENTION_DAYS} (network logs are kept at least six "
                "months, 网络安全法 第二十一条).",
                hint=f"Set AUDIT_RETENTION_DAYS={MINIMUM_RETENTION_DAYS} or more.",
                id="tuijin.E020",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_audit_key(app_configs, **kwargs):
    """Only with `tuijin check --deploy`: a dedicated key keeps the chain valid when SECRET_KEY is rotated."""
    key = getattr(settings, "AUDIT_KEY", "") or ""
    if not key:
        return [
            Warning(
                "AUDIT_KEY is not set: the audit chain's key is derived from SECRET_KEY, so rotating SECRET_KEY "
                "makes every existing audit row fail verification.",
                hint="Set AUDIT_KEY or AUDIT_KEY_FILE to a long random value (readable by the application only) "
                "before the first audit row is written, and never change it.",
                id="tuijin.W020",
            )
        ]
    if len(key.encode()) < 32:
        return [
            Error(
                "AUDIT_KEY is shorter than 32 characters.", hint="Use a long random value.", id="tuijin.E021"
            )
        ]
    return []
