"""Appends from several processes at once stay one contiguous chain (PostgreSQL: an advisory lock; SQLite
serialises writers by itself with BEGIN IMMEDIATE)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from tuijin.core.audit import record
from tuijin.core.models import AuditEvent
from tuijin.core.tests.audit_support import run_verify


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads share SQLite's in-memory test database"
)
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_contiguous_chain_when_many_write_at_once(alice):
    def write(worker: int) -> None:
        try:
            for n in range(10):
                if n % 2:
                    with transaction.atomic():  # inside a service's transaction
                        record(actor=alice, action="test.inside", object_type="x", object_id=f"{worker}-{n}")
                else:
                    record(actor=alice, action="test.outside", object_type="x", object_id=f"{worker}-{n}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, range(6)))

    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 60
    assert run_verify()[0] == 0
