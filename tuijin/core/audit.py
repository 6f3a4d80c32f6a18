"""Writing audit events. Every service that changes data calls `record` inside its own transaction; sign-ins,
refusals and exports are recorded too (audit_signals.py, middleware.py, the download views)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from .audit_chain import append, canonical_ip, clean_text, normalise
from .middleware import current_request_meta
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url") and not isinstance(value, str):  # FieldFile
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of `obj`, JSON-ready, for before/after rows."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the hash-chained log (tuijin/core/audit_chain.py), inside the caller's transaction
    if there is one. `actor_name` names who acted when there is no account (a sign-in with an unknown name)."""
    meta = current_request_meta.get() or {}
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    name = actor_name or getattr(actor, "display_name", "") or getattr(actor, "username", "") or "system"
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=clean_text(str(name))[:150],
        ip=canonical_ip(meta.get("ip")),
        request_id=clean_text(str(meta.get("request_id", "")))[:36],
        action=clean_text(action)[:64],
        object_type=clean_text(object_type)[:64],
        object_id=clean_text(str(object_id))[:64],
        object_repr=clean_text(str(object_repr))[:255],
        before=normalise(_plain(before)) if before is not None else None,
        after=normalise(_plain(after)) if after is not None else None,
        success=bool(success),
    )
    return append(event)
