"""`tuijin audit-verify` passes on an untouched log and names the first bad row after a hand edit in SQL, a
deleted row in the middle, or deleted rows at the end."""

import json

import pytest

from tuijin.core.audit import record
from tuijin.core.models import AuditEvent, AuditHead, AuditVerification
from tuijin.core.tests.audit_support import drop_triggers, run_verify, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(alice, sup):
    """Ten events by two people (besides the fixtures' own)."""
    for n in range(5):
        record(actor=alice, action="task.report", object_type="tasks.task", object_id=str(n),
               object_repr=f"任务{n}", before={"progress": n * 10}, after={"progress": n * 10 + 10})  # fmt: skip
        record(actor=sup, action="task.update", object_type="tasks.task", object_id=str(n),
               object_repr=f"任务{n}", before={"title": "旧"}, after={"title": "新", "n": n})  # fmt: skip
    return list(AuditEvent.objects.order_by("seq"))


def test_it_passes_on_an_untouched_log_and_says_how_many_rows(log):
    total = AuditEvent.objects.count()
    code, output = run_verify()
    assert code == 0, output
    assert f"{total} rows verified, seq 1–{total}" in output


def test_it_fails_naming_the_row_after_one_audit_row_is_edited_by_hand_in_sql(log):
    assert run_verify()[0] == 0
    victim = log[4]
    drop_triggers()  # an attacker with database rights removes the protection first
    changed = sql(
        "UPDATE core_auditevent SET after = %s WHERE id = %s", [json.dumps({"progress": 100}), victim.pk]
    )
    assert changed == 1

    code, output = run_verify()

    assert code == 1
    assert f"seq {victim.seq} (id {victim.pk}" in output
    assert "content changed" in output
    first_line = output.splitlines()[0]
    assert first_line.startswith(f"seq {victim.seq} (id {victim.pk}, ")
    assert "trigger refusing UPDATE" in output  # and the missing protection is reported too


def test_it_detects_a_changed_time_actor_or_outcome_too(log, bob):
    drop_triggers()
    sql("UPDATE core_auditevent SET success = %s WHERE seq = %s", [False, log[2].seq])
    sql("UPDATE core_auditevent SET actor_id = %s WHERE seq = %s", [bob.pk, log[5].seq])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines()[0].startswith(f"seq {log[2].seq} ")
    assert f"seq {log[5].seq} " in output


def test_it_names_the_gap_when_a_row_in_the_middle_is_deleted(log):
    victim = log[6]
    drop_triggers()
    assert sql("DELETE FROM core_auditevent WHERE id = %s", [victim.pk]) == 1

    code, output = run_verify()

    assert code == 1
    after = log[7]
    assert output.splitlines()[0].startswith(f"seq {after.seq} (id {after.pk}")
    assert f"gap — the rows before it are missing (seq {victim.seq} deleted)" in output


def test_it_notices_deleted_rows_at_the_end_through_the_head(log):
    drop_triggers()
    last = log[-1]
    assert sql("DELETE FROM core_auditevent WHERE seq >= %s", [last.seq - 1]) == 2

    code, output = run_verify()

    assert code == 1
    assert f"tail missing: the last rows are missing: seq {last.seq - 1}–{last.seq} deleted" in output


def test_it_notices_a_head_moved_back_by_hand_and_rows_deleted_from_the_start(log):
    drop_triggers()
    head = AuditHead.objects.get()
    sql("UPDATE core_audithead SET seq = %s, hash = %s", [log[3].seq, log[3].hash])
    code, output = run_verify()
    assert code == 1 and f"the chain head (seq {log[3].seq}) is forged" in output

    sql("UPDATE core_audithead SET seq = %s, hash = %s", [head.seq, head.hash])
    assert run_verify()[0] == 1  # the triggers are still missing
    sql("DELETE FROM core_auditevent WHERE seq <= 2")
    code, output = run_verify()
    assert "seq 3 (id" in output.splitlines()[0] and "seq 1–2 deleted" in output


def test_it_notices_a_row_copied_from_elsewhere(log):
    """A row replaced by another validly hashed row (same key, e.g. from a backup) breaks the link."""
    drop_triggers()
    donor, victim = log[1], log[3]
    columns = "actor_id, actor_name, ip, request_id, action, object_type, object_id, object_repr, before, after, success, at, prev_hash, hash"
    sql("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    sql(
        f"INSERT INTO core_auditevent (id, seq, {columns}) SELECT %s, %s, {columns} FROM core_auditevent WHERE id = %s",
        [victim.pk, victim.seq, donor.pk],
    )
    code, output = run_verify()
    assert code == 1 and output.splitlines()[0].startswith(f"seq {victim.seq} ")


def test_it_stores_each_run_for_the_auditor_and_audits_it(log):
    rows = AuditEvent.objects.count()
    run_verify()
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.rows == rows
    event = AuditEvent.objects.filter(action="audit.verify").get()
    assert event.success and event.after["ok"] is True and event.actor is None

    drop_triggers()
    sql("UPDATE core_auditevent SET object_repr = 'x' WHERE seq = 1")
    run_verify()
    failed = AuditVerification.objects.first()
    assert not failed.ok and failed.problem.startswith("seq 1 ")
    assert not AuditEvent.objects.filter(action="audit.verify").first().success


def test_it_reports_missing_triggers_and_puts_them_back(log):
    drop_triggers()
    code, output = run_verify()
    assert code == 1 and "is missing" in output
    code, output = run_verify("--restore-triggers")
    assert code == 0, output
    assert "Triggers restored." in output


def test_it_passes_on_an_empty_log():
    code, output = run_verify()
    assert code == 0, output
    assert "0 rows verified" in output
