"""The audit log's hash chain: what is sealed, how rows are appended, what the database refuses.

What is hashed
    Every AuditEvent carries a contiguous sequence number `seq` (unique), the `prev_hash` of the row before it
    and its own `hash` = HMAC-SM3 (国密 GB/T 32905, hex) under the *audit key* of the canonical JSON array

        [1 (format version), seq, at (UTC, ISO 8601 with microseconds), actor (user id or null), actor_name,
         ip, request_id, action, object_type, object_id, object_repr, before, after, success, prev_hash]

    with sorted keys inside before/after, no spaces, UTF-8. Canonicalisation works on *values*, never on the
    text a database happens to print, so the bytes are the same whether the row was just built in Python or
    read back from SQLite (JSON text) or PostgreSQL (jsonb, inet): floats with an integral value become
    integers (jsonb prints 1e16 as 10000000000000000), addresses are parsed and printed by `ipaddress`, times
    are converted to UTC. `record` stores values already in this form, and also cleans what PostgreSQL would
    refuse or change before it stores and hashes it: NUL characters and lone surrogates are replaced,
    dictionary keys become strings, NaN becomes text, text is cut to the column's length. The first row links to 64 zeros (`GENESIS`); after an archive, the first remaining
    row links to the checkpoint's hash.

    The audit key is AUDIT_KEY (or AUDIT_KEY_FILE) when set, else derived from SECRET_KEY; set AUDIT_KEY in
    production so that rotating SECRET_KEY does not invalidate the chain. The key never lives in the database,
    so someone who can only write to the database cannot compute a valid hash for a changed row.

Appending
    `append` runs in one transaction (joining the caller's, without a savepoint): on PostgreSQL it first takes
    `pg_advisory_xact_lock(AUDIT_LOCK)`; SQLite serialises writers already (BEGIN IMMEDIATE). Under the lock it
    reads the single `AuditHead` row (last seq and hash, with its own HMAC), stamps `at`, computes the hash,
    inserts the row and moves the head, so `seq` and `at` grow together and the head always names the true
    tail. If the caller's transaction rolls back, the row and the head move vanish together (nothing happened).

What the database refuses
    * The model refuses `save()` of an existing row and `delete()`; the queryset refuses `update()`,
      `delete()`, `bulk_create()`, `bulk_update()`. Only the archive removes rows (`_archive_delete`).
    * A trigger refuses every UPDATE of core_auditevent (SQLite and PostgreSQL).
    * On PostgreSQL a row trigger refuses DELETE of rows younger than 184 days (the legal minimum of six
      months; AUDIT_RETENTION_DAYS may only be longer). TRUNCATE (the test runner's flush) is not a row event.
      SQLite has no DELETE trigger because Django's test flush empties tables with DELETE; there, deletions
      are caught by detection instead.
    * The actor foreign key is PROTECT: users are deactivated, never deleted, and SET_NULL would be an UPDATE.
    * Trigger presence is part of verification: `tuijin audit-verify` fails when a trigger is missing or
      disabled (a later migration that rebuilds the table on SQLite drops them; `--restore-triggers` puts them
      back).

What detection covers (`tuijin audit-verify`, `audit_verify.verify`)
    * a changed field of any row (its hash no longer matches its content): "content changed";
    * a row removed from the middle (a gap in `seq`): "gap";
    * rows removed from the end (the head names a later seq): "tail missing";
    * rows removed from the start (the chain must start at seq 1 or at the latest checkpoint): "gap";
    * a row replaced by a validly hashed row from elsewhere, or rows reordered: "chain broken";
    * a forged or rolled-back head or checkpoint (each carries an HMAC of its own): "head" / "checkpoint";
    * an archive file: `audit-verify --archive FILE` re-checks every row, the links, and the file's SHA-256
      against the checkpoint written when it was made.

What an attacker can still do
    * With database access only (no key): read the log (before/after hold masked values, not secrets); delete
      *everything* — every row, the head, the checkpoints — which then looks like a fresh install; or restore
      the whole database to an earlier consistent state (an old backup), which silently drops the rows since.
      Both are caught only by comparing with something kept elsewhere: ship the summary line of each
      `audit-verify` run (it names the last seq and head hash) to a separate log host, keep archive files and
      backups off the database server, and run the application with a database role that may INSERT and
      SELECT core_auditevent but is not its owner (so it cannot drop the triggers).
    * With database access *and* the audit key (e.g. a compromised application server): rewrite any rows and
      recompute every later hash and the head consistently. Nothing inside the system can detect that; only
      the external copies above can. Keep AUDIT_KEY in a file readable by the application user alone.
    * Stop the application from recording (e.g. fill the disk, kill the process): writes then fail with it,
      because every service writes its audit row in the same transaction as the change.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Subquery
from django.utils import timezone

GENESIS = "0" * 64
VERSION = 1
# An arbitrary constant that names the audit chain among PostgreSQL advisory locks ("tuijin-a" in ASCII).
AUDIT_LOCK = 0x74756A696E2D61
# 网络安全法 第二十一条: network logs are kept at least six months, and six months are at most 184 days.
MINIMUM_RETENTION_DAYS = 184

# The columns that make up a row's content, in the order `values_list` returns them for `row_hash`.
HASHED = (
    "seq", "at", "actor_id", "actor_name", "ip", "request_id", "action", "object_type", "object_id",
    "object_repr", "before", "after", "success", "prev_hash",
)  # fmt: skip


# ——— the key ———


def audit_key() -> bytes:
    """The HMAC key: AUDIT_KEY if set, else one derived from SECRET_KEY (never the SECRET_KEY itself)."""
    own = getattr(settings, "AUDIT_KEY", "") or ""
    material = (own or settings.SECRET_KEY).encode()
    return _hmac(material, b"tuijin.audit-chain.v1")


def _hmac(key: bytes, data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def mac_hex(key: bytes, data: bytes) -> str:
    return _hmac(key, data).hex()


def retention_days() -> int:
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)), MINIMUM_RETENTION_DAYS)


# ——— canonical values ———


def clean_text(value: str) -> str:
    """Text PostgreSQL accepts and returns unchanged: no NUL, no lone surrogates."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def normalise(value: Any) -> Any:
    """A JSON value that both databases give back as it is (see the module docstring)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            # The decimal the JSON text denotes, which is what jsonb keeps: 1e300 → 10**300, not int(1e300).
            return int(Decimal(repr(value)))
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): normalise(v) for k, v in value.items()}
    return clean_text(str(value))


@functools.lru_cache(maxsize=4096)
def canonical_ip(value: str | None) -> str | None:
    """The address as `ipaddress` prints it, or None when it is not an address (a bad X-Forwarded-For)."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).split("%", 1)[0].strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def canonical_at(value: datetime.datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:  # never from Django with USE_TZ; be exact anyway
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _numbers(value: Any) -> Any:
    """At hash time, the one difference the databases make to stored JSON: jsonb may give 3.0 back as 3."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return normalise(value)
    if kind is dict:
        return {k: _numbers(v) for k, v in value.items()}
    if kind is list:
        return [_numbers(v) for v in value]
    return normalise(value)


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def content(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash seals; `row` maps the names in HASHED to values (as stored or as read back).

    A JSON array in a fixed order (version first); objects inside before/after with sorted keys. Text is hashed
    as stored: `record` cleans it before it stores and hashes it."""
    document = [
        VERSION,
        int(row["seq"]),
        canonical_at(row["at"]),
        row["actor_id"],
        row["actor_name"] or "",
        canonical_ip(row["ip"]),
        row["request_id"] or "",
        row["action"] or "",
        row["object_type"] or "",
        row["object_id"] or "",
        row["object_repr"] or "",
        _numbers(row["before"]),
        _numbers(row["after"]),
        bool(row["success"]),
        row["prev_hash"],
    ]
    return _ENCODER.encode(document).encode("utf-8", "surrogatepass")


class Sealer:
    """HMAC-SM3 under one key, keyed once and copied per message (the key schedule is the costly part)."""

    def __init__(self, key: bytes):
        self._keyed = crypto_hmac.HMAC(key, hashes.SM3())

    def hex(self, data: bytes) -> str:
        mac = self._keyed.copy()
        mac.update(data)
        return mac.finalize().hex()

    def row(self, row: Mapping[str, Any]) -> str:
        return self.hex(b"tuijin.audit.row\n" + content(row))


def row_hash(row: Mapping[str, Any], key: bytes) -> str:
    return mac_hex(key, b"tuijin.audit.row\n" + content(row))


def head_mac(seq: int, last_hash: str, key: bytes) -> str:
    return mac_hex(key, f"tuijin.audit.head\n{int(seq)}\n{last_hash}".encode())


def checkpoint_mac(checkpoint, key: bytes) -> str:
    text = json.dumps(
        {
            "first_seq": int(checkpoint.first_seq),
            "last_seq": int(checkpoint.last_seq),
            "last_hash": checkpoint.last_hash,
            "rows": int(checkpoint.rows),
            "before": checkpoint.before.isoformat()
            if hasattr(checkpoint.before, "isoformat")
            else str(checkpoint.before),
            "file_name": checkpoint.file_name,
            "file_sha256": checkpoint.file_sha256,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return mac_hex(key, b"tuijin.audit.checkpoint\n" + text.encode())


def fields_of(event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED}


# ——— appending ———


def lock_chain(using: str = "default") -> None:
    """Serialise appends (and the archive) on PostgreSQL; call inside a transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK])


def _last_link(using: str) -> tuple[int, str, bool]:
    """(last seq, last hash, head exists) under the lock. Normally one query: the head, with the tail's seq."""
    from .models import AuditCheckpoint, AuditEvent, AuditHead

    tail = AuditEvent.objects.using(using).order_by("-seq").values("seq")[:1]
    head = (
        AuditHead.objects.using(using)
        .filter(pk=1)
        .annotate(tail=Subquery(tail))
        .values_list("seq", "hash", "tail")
        .first()
    )
    if head is not None:
        seq, last_hash, tail_seq = head
        # A head rolled back behind the tail must not stop the application (unique seq): continue after the
        # tail; the link to the head's hash will not match and verification reports it.
        return max(seq, tail_seq or 0), last_hash, True
    # No head: a fresh database whose head the test runner's flush removed, or tampering. Continue after the
    # last row (or the last checkpoint), so nothing collides; verification judges the rest.
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    if last is None:
        checkpoint = AuditCheckpoint.objects.using(using).order_by("-last_seq").first()
        last = (checkpoint.last_seq, checkpoint.last_hash) if checkpoint else (0, GENESIS)
    return last[0], last[1], False


def append(event, *, using: str = "default"):
    """Chain and insert an unsaved AuditEvent; the only way rows enter the log."""
    from .models import AuditHead

    key = audit_key()
    with transaction.atomic(using=using, savepoint=False):
        lock_chain(using)
        last_seq, last_hash, head_exists = _last_link(using)
        event.at = timezone.now()
        event.seq = last_seq + 1
        event.prev_hash = last_hash
        event.hash = row_hash(fields_of(event), key)
        event.save(using=using)
        values = {"seq": event.seq, "hash": event.hash, "mac": head_mac(event.seq, event.hash, key)}
        if head_exists:
            AuditHead.objects.using(using).filter(pk=1).update(**values)
        else:
            AuditHead.objects.using(using).create(pk=1, **values)
    return event


def seal_head(seq: int, last_hash: str, *, using: str = "default") -> None:
    """Point the head at (seq, hash) — for the data migration and for tests that build chains by hand."""
    from .models import AuditHead

    key = audit_key()
    AuditHead.objects.using(using).update_or_create(
        pk=1, defaults={"seq": seq, "hash": last_hash, "mac": head_mac(seq, last_hash, key)}
    )


# ——— migration steps ———


def chain_existing_rows(apps, schema_editor) -> None:
    """Data migration: give the rows written before the chain existed their seq and hashes, in id order."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditHead = apps.get_model("core", "AuditHead")
    using = schema_editor.connection.alias
    key = audit_key()
    seq, prev = 0, GENESIS
    rows = (
        AuditEvent.objects.using(using).order_by("id").values_list("id", *[n for n in HASHED if n != "seq"])
    )
    for values in rows.iterator(chunk_size=2000):
        record_id, *rest = values
        row = dict(zip([n for n in HASHED if n != "seq"], rest, strict=True))
        seq += 1
        # Store the values in the form they are hashed in, so they read back the same on either database.
        row.update(seq=seq, prev_hash=prev, ip=canonical_ip(row["ip"]),
                   before=normalise(row["before"]), after=normalise(row["after"]))  # fmt: skip
        digest = row_hash(row, key)
        AuditEvent.objects.using(using).filter(pk=record_id).update(
            seq=seq, prev_hash=prev, hash=digest, ip=row["ip"], before=row["before"], after=row["after"]
        )
        prev = digest
    AuditHead.objects.using(using).update_or_create(
        pk=1, defaults={"seq": seq, "hash": prev, "mac": head_mac(seq, prev, key)}
    )


def unchain_rows(apps, schema_editor) -> None:
    """Reverse of `chain_existing_rows`: nothing to undo (the columns go away with the fields)."""


__all__ = [
    "GENESIS", "HASHED", "AUDIT_LOCK", "MINIMUM_RETENTION_DAYS", "append", "audit_key", "canonical_at",
    "canonical_ip", "checkpoint_mac", "content", "head_mac", "lock_chain", "normalise", "retention_days",
    "row_hash", "seal_head",
]  # fmt: skip
