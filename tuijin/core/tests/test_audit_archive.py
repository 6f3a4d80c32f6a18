"""`tuijin audit-archive` moves rows older than the retention (184 days at least) into a file with their hashes,
leaves a sealed checkpoint the verification starts from, audits itself, and refuses anything younger."""

import datetime
import gzip
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone, translation

from tuijin.core.audit import record
from tuijin.core.audit_archive import ArchiveRefused, archive
from tuijin.core.models import AuditCheckpoint, AuditEvent
from tuijin.core.tests.audit_support import drop_triggers, run_verify, sql

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def history(alice):
    """Six rows a year and more ago, four rows last month."""
    for n, age in enumerate([420, 410, 400, 390, 380, 370, 30, 20, 10, 5]):
        moment = timezone.now() - datetime.timedelta(days=age)
        with time_machine.travel(moment, tick=False):
            record(actor=alice, action="task.report", object_type="tasks.task", object_id=str(n),
                   object_repr=f"任务{n}", after={"progress": n, "note": "进展"})  # fmt: skip
    return list(AuditEvent.objects.order_by("seq"))


def archive_command(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit-archive", *args, stdout=out)
    return out.getvalue()


def test_it_archives_old_rows_leaves_a_checkpoint_and_still_verifies(history, tmp_path):
    out = tmp_path / "audit-old.jsonl.gz"
    output = archive_command("--before", days_ago(300).isoformat(), "--out", str(out))

    assert "Archived 6 rows, seq 1–6" in output
    assert list(AuditEvent.objects.filter(seq__lte=6)) == []
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.first_seq, checkpoint.last_seq, checkpoint.rows) == (1, 6, 6)
    assert checkpoint.last_hash == history[5].hash and checkpoint.file_name == out.name
    event = AuditEvent.objects.get(action="audit.archive")
    assert event.after["rows"] == 6 and event.after["sha256"] == checkpoint.file_sha256

    code, verified = run_verify()
    assert code == 0, verified
    assert "5 rows verified, seq 7–11 after checkpoint 6" in verified

    with gzip.open(out, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    assert lines[0]["format"] == "tuijin-audit-archive"
    assert [row["seq"] for row in lines[1:]] == list(range(1, 7))
    assert lines[1]["object_repr"] == "任务0" and lines[6]["hash"] == history[5].hash


def test_it_verifies_the_archive_file_and_notices_when_it_was_altered(history, tmp_path):
    out = tmp_path / "audit-old.jsonl.gz"
    archive(before=days_ago(300), out=out)
    code, output = run_verify("--archive", str(out))
    assert code == 0, output
    assert "6 rows verified, seq 1–6" in output

    with gzip.open(out, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    row = json.loads(lines[3])
    row["after"]["progress"] = 99
    lines[3] = json.dumps(row, ensure_ascii=False) + "\n"
    forged = tmp_path / "forged.jsonl.gz"
    with gzip.open(forged, "wt", encoding="utf-8") as handle:
        handle.writelines(lines)
    code, output = run_verify("--archive", str(forged))
    assert code == 1
    assert output.splitlines()[0].startswith("seq 3 ") and "content changed" in output
    assert "differs from the one archived" in output


def test_it_archives_again_later_from_the_last_checkpoint(history, tmp_path):
    archive(before=days_ago(395), out=tmp_path / "first.jsonl.gz")
    second = archive(before=days_ago(300), out=tmp_path / "second.jsonl.gz")
    assert (second.first_seq, second.last_seq) == (4, 6)
    assert run_verify()[0] == 0
    assert run_verify("--archive", str(tmp_path / "second.jsonl.gz"))[0] == 0


def test_it_refuses_a_date_within_the_retention_period(history, tmp_path):
    with pytest.raises(CommandError, match="kept 184 days"):
        archive_command("--before", days_ago(100).isoformat(), "--out", str(tmp_path / "x.jsonl.gz"))
    with override_settings(AUDIT_RETENTION_DAYS=30):  # shorter than the law allows: the minimum still holds
        with pytest.raises(ArchiveRefused, match="kept 184 days"):
            archive(before=days_ago(100), out=tmp_path / "x.jsonl.gz")
    with override_settings(AUDIT_RETENTION_DAYS=400):
        with pytest.raises(ArchiveRefused, match="kept 400 days"):
            archive(before=days_ago(300), out=tmp_path / "x.jsonl.gz")
    assert AuditEvent.objects.count() == 10 and not (tmp_path / "x.jsonl.gz").exists()


def test_it_refuses_to_overwrite_a_file_or_to_archive_a_broken_chain(history, tmp_path):
    existing = tmp_path / "exists.jsonl.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(ArchiveRefused, match="exists"):
        archive(before=days_ago(300), out=existing)
    assert existing.read_bytes() == b"keep me"

    drop_triggers()
    sql("UPDATE core_auditevent SET object_repr = 'x' WHERE seq = 2")
    with pytest.raises(ArchiveRefused, match="does not verify"):
        archive(before=days_ago(300), out=tmp_path / "y.jsonl.gz")
    assert AuditEvent.objects.count() == 10


def test_it_says_when_there_is_nothing_old_enough(alice, tmp_path):
    record(actor=alice, action="task.report", object_type="tasks.task", object_id="1")
    with pytest.raises(CommandError, match="no audit rows before"):
        archive_command("--before", days_ago(200).isoformat(), "--out", str(tmp_path / "x.jsonl.gz"))
    with pytest.raises(CommandError, match="must be a date"):
        archive_command("--before", "last year", "--out", str(tmp_path / "x.jsonl.gz"))


def test_it_notices_a_forged_checkpoint(history, tmp_path):
    archive(before=days_ago(300), out=tmp_path / "a.jsonl.gz")
    sql("UPDATE core_auditcheckpoint SET last_seq = 8, last_hash = %s", [history[7].hash])
    code, output = run_verify()
    assert code == 1 and "is forged" in output
