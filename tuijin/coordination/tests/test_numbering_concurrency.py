"""Two secretaries issuing minutes of the same joint meeting at the same moment get consecutive numbers, never the
same one (PostgreSQL: the joint meeting's row lock serialises them; SQLite serialises writers by itself)."""

import datetime
import threading

import pytest
from django.db import connection

from tuijin.coordination import services
from tuijin.coordination.models import Meeting

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_it_gives_concurrent_minutes_consecutive_numbers(sup, jm, unit_a):
    meetings = []
    for i in range(4):
        m = services.save_meeting(actor=sup, joint_meeting=jm, title=f"第{i + 1}次会议", place="会议室",
                                  starts_at=datetime.datetime(2021, 3, 15 + i, 9, tzinfo=SHANGHAI),
                                  agenda_cutoff=datetime.date(2021, 3, 14))  # fmt: skip
        services.add_decision(actor=sup, meeting=m, text=f"议定事项{i}", lead_unit=unit_a)
        meetings.append(m)
    barrier, errors = threading.Barrier(len(meetings)), []

    def issue(meeting):
        from django.db import connections

        try:
            barrier.wait()
            services.issue_minutes(actor=sup, meeting=meeting)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Meeting.objects.filter(joint_meeting=jm).values_list("minutes_number", flat=True))
    assert numbers == [1, 2, 3, 4]
