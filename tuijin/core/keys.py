"""Field-key rotation: find every sealed personal-data column and re-seal it under the current key.

Columns are discovered from the installed models (every concrete `EncryptedCharField`), so a capability that
declares personal data with that field is covered without registering anything. The stored text is read and
written around the field's own conversion (which unseals), with a compare-and-swap update so that a value changed
by a user while the rotation runs is left as the user wrote it (it was sealed under the current key anyway).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from tuijin.lib import crypto

from .fields import EncryptedCharField

RAW = "_tuijin_sealed_raw"


@dataclass
class ColumnReport:
    """What one sealed column holds, or what a rotation did to it."""

    model: type[models.Model]
    field: str
    current: int = 0  # sealed under the current key (already, or now)
    resealed: int = 0  # re-sealed by this run (from an older key, or from plaintext)
    old: Counter = field(default_factory=Counter)  # key id → values still under it
    plaintext: int = 0  # written before encryption was switched on
    # "pk: why" for each value that cannot be read: a missing key or a failed integrity check
    unreadable: list[str] = field(default_factory=list)
    changed_meanwhile: int = 0

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    @property
    def outstanding(self) -> int:
        """Values not yet under the current key: the old keys cannot be removed while this is above zero."""
        return sum(self.old.values()) + self.plaintext + len(self.unreadable)


def sealed_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, field) whose column holds sealed personal data, in every installed app."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for f in meta.concrete_fields:
            if isinstance(f, EncryptedCharField):
                columns.append((model, f))
    return sorted(columns, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def _raw(model: type[models.Model], f: models.Field):
    """Non-empty stored texts, as the database has them (the field's own conversion would unseal them)."""
    return (
        model._base_manager.annotate(**{RAW: Cast(f.attname, output_field=models.TextField())})
        .exclude(**{f"{RAW}__isnull": True})
        .exclude(**{RAW: ""})
    )


def _classify(value: str, ring: crypto.Keyring) -> tuple[str, str | None]:
    """("current" | "old" | "plaintext" | "unknown_key", key id)."""
    if not crypto.is_sealed(value):
        return "plaintext", None
    kid = crypto.key_id_of(value)
    if kid == ring.current_id:
        return "current", kid
    return ("old", kid) if kid in ring.keys else ("unknown_key", kid)


def inspect(model: type[models.Model], f: models.Field, *, batch_size: int = 500) -> ColumnReport:
    """Count the stored values by key, without changing anything. Old-key and plaintext values are unsealed to
    prove they are readable (a failed integrity check shows up as unreadable)."""
    ring = crypto.keyring()
    report = ColumnReport(model=model, field=f.name)
    for pk, value in _batches(model, f, batch_size=batch_size):
        status, kid = _classify(value, ring)
        if status == "current":
            report.current += 1
            continue
        if status == "unknown_key":
            report.unreadable.append(f"{pk}: no key {kid!r} in FIELD_KEYS")
            continue
        try:
            crypto.unseal(value, ring=ring)
        except crypto.CryptoError as exc:
            report.unreadable.append(f"{pk}: {exc}")
            continue
        if status == "old":
            report.old[kid] += 1
        else:
            report.plaintext += 1
    return report


def rotate(model: type[models.Model], f: models.Field, *, batch_size: int = 500) -> ColumnReport:
    """Re-seal every value of one column that is not under the current key, one transaction per batch."""
    ring = crypto.keyring()
    report = ColumnReport(model=model, field=f.name)
    last_pk = None
    while True:
        rows = _batch(model, f, after=last_pk, size=batch_size)
        if not rows:
            return report
        last_pk = rows[-1][0]
        with transaction.atomic():
            for pk, value in rows:
                status, kid = _classify(value, ring)
                if status == "current":
                    report.current += 1
                    continue
                if status == "unknown_key":
                    report.unreadable.append(f"{pk}: no key {kid!r} in FIELD_KEYS")
                    continue
                try:
                    fresh = crypto.seal(crypto.unseal(value, ring=ring), ring=ring)
                except crypto.CryptoError as exc:
                    report.unreadable.append(f"{pk}: {exc}")
                    continue
                unchanged = Exact(Cast(f.attname, output_field=models.TextField()), value)
                if model._base_manager.filter(unchanged, pk=pk).update(**{f.attname: fresh}):
                    report.resealed += 1
                    report.current += 1
                else:
                    report.changed_meanwhile += 1


def _batch(model, f, *, after, size: int) -> list[tuple]:
    rows = _raw(model, f).order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return list(rows.values_list("pk", RAW)[:size])


def _batches(model, f, *, batch_size: int):
    last_pk = None
    while True:
        rows = _batch(model, f, after=last_pk, size=batch_size)
        if not rows:
            return
        yield from rows
        last_pk = rows[-1][0]
