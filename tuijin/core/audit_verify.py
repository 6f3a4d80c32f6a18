"""Walking the audit chain: every row's hash, every link, the head, the checkpoints and the triggers.

The walk streams the rows in `seq` order (`iterator(chunk_size=…)`, tuples, no model instances) and keeps only
the previous hash, so memory stays flat whatever the size of the log. Messages are translated where a page
shows them; the console (`tuijin audit-verify`) prints them in English. The place of a problem is always
written "seq N (id N, time)", whatever the language.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit_triggers
from .audit_chain import GENESIS, HASHED, Sealer, audit_key, checkpoint_mac, head_mac

CHUNK = 5000
MAX_PROBLEMS = 50
ARCHIVE_FORMAT = "tuijin-audit-archive"

KINDS = {
    "content changed": gettext_lazy("content changed"),
    "chain broken": gettext_lazy("chain broken"),
    "gap": gettext_lazy("gap"),
    "tail missing": gettext_lazy("tail missing"),
    "head": gettext_lazy("chain head"),
    "checkpoint": gettext_lazy("checkpoint"),
    "protection": gettext_lazy("protection"),
    "archive": gettext_lazy("archive file"),
}


def seqs(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


@dataclass
class Problem:
    kind: str  # a key of KINDS
    detail: str
    seq: int | None = None
    id: int | None = None
    at: datetime.datetime | str | None = None

    def __str__(self) -> str:
        label = str(KINDS.get(self.kind, self.kind))
        if self.seq is None:
            return f"{label}: {self.detail}"
        at = self.at
        if isinstance(at, str):
            at = datetime.datetime.fromisoformat(at)
        at_text = f", {timezone.localtime(at):%Y-%m-%d %H:%M:%S}" if at else ""
        ident = f"id {self.id}" if self.id is not None else "id ?"
        return f"seq {self.seq} ({ident}{at_text}): {label} — {self.detail}"


@dataclass
class Result:
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    last_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    started_after: int = 0  # the checkpoint's last seq the walk started after (0: from the genesis)
    seconds: float = 0.0
    source: str = "database"

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def summary(self) -> str:
        if self.first_seq is None:
            text = _("%(rows)s rows verified") % {"rows": self.rows}
        else:
            text = _("%(rows)s rows verified, seq %(first)s–%(last)s") % {
                "rows": self.rows, "first": self.first_seq, "last": self.last_seq,
            }  # fmt: skip
        if self.started_after:
            text += " " + _("after checkpoint %(seq)s") % {"seq": self.started_after}
        if self.ok:
            return text + ", " + _("head %(hash)s") % {"hash": self.last_hash[:16]}
        more = ""
        if self.problem_count > 1:
            more = " " + _("(and %(n)s more problems)") % {"n": self.problem_count - 1}
        return _("FAILED: %(problem)s%(more)s; %(read)s") % {
            "problem": self.problems[0], "more": more, "read": text,
        }  # fmt: skip


class _Walker:
    """Checks rows one by one in seq order; `expected`/`prev` are what the next row must carry."""

    def __init__(self, result: Result, key: bytes, expected: int, prev: str | None):
        self.result, self.sealer, self.expected, self.prev = result, Sealer(key), expected, prev

    def step(self, row: dict, *, row_id=None) -> None:
        result = self.result
        seq = int(row["seq"])
        where = {"seq": seq, "id": row_id, "at": row["at"]}
        if seq < self.expected:
            result.add(
                Problem(
                    "chain broken",
                    _("out of order: seq %(seq)s was expected") % {"seq": self.expected},
                    **where,
                )
            )
        elif seq > self.expected:
            missing = seqs(self.expected, seq - 1)
            detail = _("the rows before it are missing (seq %(seqs)s deleted)") % {"seqs": missing}
            result.add(Problem("gap", detail, **where))
            self.prev = None  # the link cannot be checked across a gap
        if self.sealer.row(row) != row["hash"]:
            result.add(
                Problem("content changed", _("its content no longer matches its hash (edited)"), **where)
            )
        elif self.prev is not None and row["prev_hash"] != self.prev:
            detail = _("its link does not match the hash of the row before it")
            result.add(Problem("chain broken", detail, **where))
        result.rows += 1
        if result.first_seq is None:
            result.first_seq = seq
        result.last_seq = seq
        result.last_hash = row["hash"]
        self.expected, self.prev = seq + 1, row["hash"]


def verify(*, using: str = "default", check_triggers: bool = True) -> Result:
    """Verify the chain in the database from the latest checkpoint (or the genesis) to the head."""
    from .models import AuditCheckpoint, AuditEvent, AuditHead

    started = time.monotonic()
    key = audit_key()
    result = Result()
    checkpoint = None
    for candidate in AuditCheckpoint.objects.using(using).order_by("-last_seq"):
        if candidate.mac != checkpoint_mac(candidate, key):
            result.add(Problem("checkpoint", forged_checkpoint(candidate)))
        elif checkpoint is None:
            checkpoint = candidate
    expected, prev = (checkpoint.last_seq + 1, checkpoint.last_hash) if checkpoint else (1, GENESIS)
    result.started_after = checkpoint.last_seq if checkpoint else 0
    result.last_hash = prev
    walker = _Walker(result, key, expected, prev)
    rows = AuditEvent.objects.using(using).order_by("seq")
    if checkpoint:
        rows = rows.filter(seq__gt=checkpoint.last_seq)  # archived rows still present are in the archive file
    names = ("id", "hash", *HASHED)
    for values in rows.values_list(*names).iterator(chunk_size=CHUNK):
        row = dict(zip(names, values, strict=True))
        walker.step(row, row_id=row["id"])
    _check_head(result, AuditHead.objects.using(using).filter(pk=1).first(), key, bool(checkpoint))
    if check_triggers:
        for text in audit_triggers.problems(using):
            result.add(Problem("protection", str(text)))
    result.seconds = time.monotonic() - started
    return result


def forged_checkpoint(checkpoint) -> str:
    return _("checkpoint %(id)s (seq up to %(seq)s) is forged") % {
        "id": checkpoint.pk,
        "seq": checkpoint.last_seq,
    }


def _check_head(result: Result, head, key: bytes, has_checkpoint: bool) -> None:
    last = result.last_seq if result.last_seq is not None else result.started_after
    if head is None:
        if result.rows or has_checkpoint:
            result.add(Problem("head", _("the chain head (last seq and hash) is missing")))
        return
    if head.mac != head_mac(head.seq, head.hash, key):
        result.add(Problem("head", _("the chain head (seq %(seq)s) is forged") % {"seq": head.seq}))
    elif head.seq > last:
        detail = _("the last rows are missing: seq %(seqs)s deleted (the last row left is seq %(last)s)")
        result.add(Problem("tail missing", detail % {"seqs": seqs(last + 1, head.seq), "last": last}))
    elif head.seq < last:
        detail = _("rows after the chain head (seq %(head)s) up to seq %(last)s are not covered by it")
        result.add(Problem("head", detail % {"head": head.seq, "last": last}))
    elif head.hash != result.last_hash:
        result.add(Problem("head", _("the chain head does not match the row seq %(seq)s") % {"seq": last}))


# ——— archive files ———


def read_archive(path: Path):
    """(header, row iterator) of an archive file written by `tuijin audit-archive`."""
    handle = gzip.open(path, "rt", encoding="utf-8")
    header = json.loads(handle.readline() or "{}")
    if header.get("format") != ARCHIVE_FORMAT:
        handle.close()
        raise ValueError(_("%(file)s is not a Tuijin audit archive") % {"file": path})

    def rows():
        with handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)

    return header, rows()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_archive(path: Path, *, using: str = "default") -> Result:
    """Verify an archive file on its own, and against the checkpoint recorded when it was written."""
    from .models import AuditCheckpoint

    started = time.monotonic()
    key = audit_key()
    result = Result(source=str(path))
    try:
        header, rows = read_archive(path)
    except (OSError, ValueError, EOFError) as exc:
        result.add(Problem("archive", _("cannot read %(file)s: %(error)s") % {"file": path, "error": exc}))
        return result
    first = int(header.get("first_seq") or 1)
    result.last_hash = header.get("prev_hash", GENESIS)
    walker = _Walker(result, key, first, result.last_hash)
    try:
        for row in rows:
            walker.step(row, row_id=row.get("id"))
    except (OSError, ValueError, EOFError, KeyError) as exc:
        detail = _("the file is damaged after seq %(seq)s: %(error)s") % {
            "seq": result.last_seq,
            "error": exc,
        }
        result.add(Problem("archive", detail))
    if (result.last_seq, result.last_hash) != (header.get("last_seq"), header.get("last_hash")):
        detail = _("the file ends at seq %(seq)s, its header says %(header)s (rows missing at the end)")
        result.add(Problem("archive", detail % {"seq": result.last_seq, "header": header.get("last_seq")}))
    sha = file_sha256(path)
    checkpoint = AuditCheckpoint.objects.using(using).filter(file_sha256=sha).first()
    if checkpoint is None:
        checkpoint = AuditCheckpoint.objects.using(using).filter(last_seq=header.get("last_seq")).first()
        if checkpoint is not None:
            detail = _(
                "the file differs from the one archived as %(name)s (SHA-256 %(then)s…, this file %(now)s…)"
            )
            result.add(Problem("archive", detail % {
                "name": checkpoint.file_name, "then": checkpoint.file_sha256[:16], "now": sha[:16],
            }))  # fmt: skip
    elif checkpoint.mac != checkpoint_mac(checkpoint, key):
        result.add(Problem("checkpoint", forged_checkpoint(checkpoint)))
    elif (checkpoint.last_seq, checkpoint.last_hash) != (result.last_seq, result.last_hash):
        result.add(Problem("archive", _("the file does not end where its checkpoint says")))
    result.started_after = first - 1
    result.seconds = time.monotonic() - started
    return result


def store(result: Result, *, actor=None):
    """Keep the outcome of a database verification for the auditor's page, and write every run to the log (the
    run itself is audited)."""
    from .audit import record
    from .models import AuditVerification

    verification = None
    if result.source == "database":
        problem = "\n".join(str(p) for p in result.problems)
        if result.problem_count > len(result.problems):
            problem += "\n… " + _("%(n)s more") % {"n": result.problem_count - len(result.problems)}
        verification = AuditVerification.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            ok=result.ok,
            rows=result.rows,
            first_seq=result.first_seq,
            last_seq=result.last_seq,
            problem=problem,
            seconds=round(result.seconds, 3),
        )
    record(
        actor=actor,
        action="audit.verify",
        obj=verification,
        object_type="" if verification else "audit.archive_file",
        object_id="" if verification else Path(result.source).name,
        object_repr=result.summary(),
        after={
            "ok": result.ok,
            "rows": result.rows,
            "first_seq": result.first_seq,
            "last_seq": result.last_seq,
            "problems": result.problem_count,
            "source": result.source,
        },  # fmt: skip
        success=result.ok,
    )
    return verification
