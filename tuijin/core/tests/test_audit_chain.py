"""Each audit row is a link of a hash chain whose hash can be recomputed exactly from what either database
gives back — whatever JSON, text or address it holds — and appends stay contiguous inside and outside a
transaction."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from tuijin.core import audit_chain
from tuijin.core.audit import record
from tuijin.core.audit_chain import GENESIS, HASHED, head_mac, row_hash
from tuijin.core.middleware import current_request_meta
from tuijin.core.models import AuditEvent, AuditHead
from tuijin.core.tests.audit_support import run_verify

pytestmark = pytest.mark.django_db

AWKWARD = {
    "float": 0.1,
    "tiny": 1.5e-07,
    "whole float": 3.0,
    "big float": 1e16,
    "huge float": 1e300,
    "negative zero": -0.0,
    "big int": 2**70,
    "not a number": float("nan"),
    "bool": True,
    "none": None,
    "nested": {"b": [1, 2.5, {"z": "甲", "a": "乙"}], "a": []},
    3: "an integer key",
    "text": "督查室 “引号” \\ / \n\t 😀 \u2028",
    "nul": "a\x00b",
    "surrogate": "x\ud800y",
    "date": datetime.date(2026, 11, 26),
}


def stored_row(event) -> dict:
    """The row as the database gives it back (fresh query, no cached Python values)."""
    return AuditEvent.objects.filter(pk=event.pk).values(*HASHED, "hash").get()


def test_it_links_each_row_to_the_one_before_with_contiguous_numbers(alice):
    first = record(actor=alice, action="test.one", object_type="x", object_id="1")
    second = record(actor=alice, action="test.two", object_type="x", object_id="2")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert len(first.hash) == 64 and first.hash != second.hash
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (2, second.hash)
    assert head.mac == head_mac(2, second.hash, audit_chain.audit_key())


def test_it_recomputes_the_hash_exactly_from_awkward_json_read_back_from_the_database(alice):
    event = record(actor=alice, action="test.awkward", object_type="x", object_id="1",
                   before=AWKWARD, after={"list": [AWKWARD, 1e-300, -7]})  # fmt: skip
    row = stored_row(event)
    assert row_hash(row, audit_chain.audit_key()) == row["hash"] == event.hash
    # what was stored is what the hash covers, and reads back unchanged
    assert event.before == row["before"]
    assert row["before"]["big float"] == 10**16 and row["before"]["huge float"] == 10**300
    assert row["before"]["3"] == "an integer key" and "\x00" not in row["before"]["nul"]
    assert row["before"]["not a number"] == "nan"


def test_it_stores_addresses_in_the_form_it_hashes_and_drops_what_is_not_an_address(alice):
    for raw, stored in [
        ("10.1.2.3", "10.1.2.3"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.3"),
        ("fe80::1%eth0", "fe80::1"),
        ("unknown", None),
        ("10.0.0.1, 10.0.0.2", None),
    ]:
        token = current_request_meta.set({"ip": raw, "request_id": "r-1"})
        try:
            event = record(actor=alice, action="test.ip", object_type="x", object_id=raw[:60])
        finally:
            current_request_meta.reset(token)
        row = stored_row(event)
        assert audit_chain.canonical_ip(row["ip"]) == stored, raw
        assert row_hash(row, audit_chain.audit_key()) == row["hash"], raw
    assert run_verify()[0] == 0


def test_it_keeps_microseconds_and_utc_in_the_hashed_time(alice):
    event = record(actor=alice, action="test.time", object_type="x", object_id="1")
    row = stored_row(event)
    assert row["at"] == event.at and row["at"].microsecond == event.at.microsecond
    assert audit_chain.canonical_at(row["at"]).endswith("+00:00")


def test_it_truncates_long_text_to_the_columns_instead_of_failing(alice):
    event = record(actor=alice, action="a" * 100, object_type="t" * 100, object_id="i" * 100,
                   object_repr="r" * 400, actor_name="n" * 200)  # fmt: skip
    row = stored_row(event)
    assert (len(row["action"]), len(row["object_repr"]), len(row["actor_name"])) == (64, 255, 150)
    assert row_hash(row, audit_chain.audit_key()) == row["hash"]


def test_it_appends_inside_an_outer_transaction_and_leaves_no_gap_when_that_rolls_back(alice):
    with transaction.atomic():
        record(actor=alice, action="test.kept", object_type="x", object_id="1")
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=alice, action="test.lost", object_type="x", object_id="2")
        raise RuntimeError
    kept = record(actor=alice, action="test.after", object_type="x", object_id="3")
    assert kept.seq == 2
    assert not AuditEvent.objects.filter(action="test.lost").exists()
    assert run_verify()[0] == 0


def test_it_records_success_and_a_name_for_an_actor_without_account():
    event = record(actor=None, actor_name="mallory", action="auth.login_failed", object_type="auth.user",
                   success=False)  # fmt: skip
    assert (event.actor, event.actor_name, event.success) == (None, "mallory", False)
    assert record(actor=None, action="demo.load", object_type="demo").actor_name == "system"


def test_it_cannot_be_recomputed_without_the_key(alice):
    event = record(actor=alice, action="test.key", object_type="x", object_id="1")
    row = stored_row(event)
    with override_settings(SECRET_KEY="someone-else-s-secret-key-0123456789abcdef"):
        assert row_hash(row, audit_chain.audit_key()) != row["hash"]
    with override_settings(AUDIT_KEY="a-dedicated-audit-key-0123456789abcdef"):
        assert row_hash(row, audit_chain.audit_key()) != row["hash"]


def test_it_continues_after_the_last_row_when_the_head_row_is_missing(alice):
    record(actor=alice, action="test.one", object_type="x", object_id="1")
    AuditHead.objects.all().delete()
    event = record(actor=alice, action="test.two", object_type="x", object_id="2")
    assert event.seq == 2 and AuditHead.objects.get().seq == 2
    assert run_verify()[0] == 0


def test_it_keeps_working_when_the_head_was_moved_back_and_reports_it(alice):
    first = record(actor=alice, action="test.one", object_type="x", object_id="1")
    record(actor=alice, action="test.two", object_type="x", object_id="2")
    audit_chain.seal_head(first.seq, first.hash)  # as if rolled back, even with a valid seal
    third = record(actor=alice, action="test.three", object_type="x", object_id="3")
    assert third.seq == 3  # no clash with seq 2
    code, output = run_verify()
    assert code == 1 and f"seq 3 (id {third.pk}" in output and "chain broken" in output
