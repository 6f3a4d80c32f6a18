"""Moving audit rows older than the retention period into a compressed file, leaving a checkpoint.

The file (`.jsonl.gz`) holds a header line and then one JSON object per row with every hashed column, its id
and its hash, so `tuijin audit-verify --archive FILE` can re-check it without the database. The checkpoint
(last archived seq and hash, file name, SHA-256 of the file; sealed with the audit key) is where verification
of the database starts afterwards. Only a contiguous run from the start of the chain is archived, and only
after the whole chain verifies: an archive never removes evidence of tampering.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from .audit_chain import GENESIS, HASHED, audit_key, canonical_at, checkpoint_mac, lock_chain, retention_days
from .audit_verify import ARCHIVE_FORMAT, CHUNK, file_sha256, verify


class ArchiveRefused(Exception):
    """The archive would break the retention rule, overwrite a file, or hide a broken chain."""


@dataclass
class ArchiveResult:
    checkpoint: object
    rows: int
    first_seq: int
    last_seq: int
    path: Path
    sha256: str


def latest_allowed_before(today: datetime.date | None = None) -> datetime.date:
    """The latest `before` date an archive may use: rows younger than the retention stay in the database."""
    return (today or timezone.localdate()) - datetime.timedelta(days=retention_days())


def archive(*, before: datetime.date, out: Path, actor=None, today: datetime.date | None = None,
            using: str = "default") -> ArchiveResult:  # fmt: skip
    from .audit import record
    from .models import AuditCheckpoint, AuditEvent

    limit = latest_allowed_before(today)
    if before > limit:
        raise ArchiveRefused(
            f"audit rows are kept {retention_days()} days: the latest date to archive before is {limit.isoformat()}"
        )
    out = Path(out)
    if out.exists():
        raise ArchiveRefused(f"{out} exists; choose a new file name")
    check = verify(using=using)
    if not check.ok:
        raise ArchiveRefused(f"the chain does not verify, so nothing is archived: {check.summary()}")

    latest = AuditCheckpoint.objects.using(using).order_by("-last_seq").first()
    after_seq, prev_hash = (latest.last_seq, latest.last_hash) if latest else (0, GENESIS)
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    remaining = AuditEvent.objects.using(using).filter(seq__gt=after_seq)
    first_young = remaining.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
    chosen = remaining if first_young is None else remaining.filter(seq__lt=first_young)
    bounds = chosen.aggregate(first=Min("seq"), last=Max("seq"), n=Count("id"))
    if not bounds["n"]:
        raise ArchiveRefused(f"no audit rows before {before.isoformat()} are left to archive")

    expected_last = chosen.filter(seq=bounds["last"]).values_list("hash", flat=True).get()
    last_hash = _write(out, chosen.order_by("seq"), header={
        "format": ARCHIVE_FORMAT, "version": 1, "first_seq": bounds["first"], "last_seq": bounds["last"],
        "rows": bounds["n"], "prev_hash": prev_hash, "last_hash": expected_last, "before": before.isoformat(),
        "written_at": canonical_at(timezone.now()),
    })  # fmt: skip
    sha = file_sha256(out)
    key = audit_key()
    try:
        with transaction.atomic(using=using):
            lock_chain(using)
            checkpoint = AuditCheckpoint(
                first_seq=bounds["first"], last_seq=bounds["last"], last_hash=last_hash, rows=bounds["n"],
                before=before, file_name=out.name[:255], file_sha256=sha,
            )  # fmt: skip
            checkpoint.mac = checkpoint_mac(checkpoint, key)
            checkpoint.save(using=using)
            deleted = (
                AuditEvent.objects.using(using)
                .filter(seq__gt=after_seq, seq__lte=bounds["last"])
                ._archive_delete()
            )
            if deleted != bounds["n"]:
                raise ArchiveRefused(
                    f"expected to remove {bounds['n']} rows, found {deleted}; nothing was removed"
                )
            record(
                actor=actor,
                action="audit.archive",
                obj=checkpoint,
                after={
                    "first_seq": bounds["first"],
                    "last_seq": bounds["last"],
                    "rows": bounds["n"],
                    "before": before.isoformat(),
                    "file": out.name,
                    "sha256": sha,
                },  # fmt: skip
            )
    except Exception:
        out.unlink(missing_ok=True)  # nothing was removed, so the file would only mislead
        raise
    return ArchiveResult(checkpoint, bounds["n"], bounds["first"], bounds["last"], out, sha)


def _write(out: Path, rows, *, header: dict) -> str:
    """Write the file next to its final name and move it there when complete; return the last row's hash."""
    names = ("id", "hash", *HASHED)
    part = out.with_name(out.name + ".part")
    last_hash = header["prev_hash"]
    try:
        with gzip.open(part, "wt", encoding="utf-8") as handle:
            handle.write(json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n")
            for values in rows.values_list(*names).iterator(chunk_size=CHUNK):
                row = dict(zip(names, values, strict=True))
                row["at"] = canonical_at(row["at"])
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                last_hash = row["hash"]
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return last_hash
