"""Rows written before the hash chain existed get their sequence numbers and hashes from the migration, in
the order they were written, and verify afterwards; the migration also installs the triggers."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tuijin.core import audit_triggers
from tuijin.core.models import AuditEvent, AuditHead
from tuijin.core.tests.audit_support import run_verify

BEFORE_CHAIN = [("core", "0002_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_it_chains_the_rows_written_before_the_chain_existed(alice):
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "core"]
    executor = migrate(BEFORE_CHAIN)
    try:
        OldEvent = executor.loader.project_state(BEFORE_CHAIN).apps.get_model("core", "AuditEvent")
        start = timezone.now() - datetime.timedelta(days=3)
        for n, (ip, after) in enumerate([
            ("10.0.0.1", {"progress": 10, "ratio": 1.0}),
            ("2001:0db8::0001", {"title": "建成孵化基地", "units": [1, 2]}),
            (None, None),
        ]):  # fmt: skip
            OldEvent.objects.create(at=start + datetime.timedelta(hours=n), actor_id=alice.pk if n else None,
                                    actor_name="张科技", ip=ip, action="task.update", object_type="tasks.task",
                                    object_id=str(n), object_repr=f"任务{n}", after=after)  # fmt: skip
    finally:
        migrate(latest)

    rows = list(AuditEvent.objects.order_by("id").values_list("seq", "object_repr", "ip"))
    assert rows == [(1, "任务0", "10.0.0.1"), (2, "任务1", "2001:db8::1"), (3, "任务2", None)]
    assert AuditHead.objects.get().seq == 3
    assert audit_triggers.problems() == []
    code, output = run_verify()
    assert code == 0, output
    assert "3 rows verified, seq 1–3" in output
