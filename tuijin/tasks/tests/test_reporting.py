"""Missing and late reports are visible per task and period."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.tasks import services
from tuijin.tasks.models import Report, Task
from tuijin.tasks.reporting import recent_periods, reporting_grid


def test_it_lists_recent_periods_for_each_cadence():
    day = datetime.date(2026, 1, 15)
    assert recent_periods("monthly", day, 3) == ["2025-11", "2025-12", "2026-01"]
    assert recent_periods("quarterly", day, 3) == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert recent_periods("weekly", day, 2) == ["2026-W02", "2026-W03"]


@pytest.mark.django_db
def test_it_marks_reports_on_time_late_missing_and_pending(task, alice):
    Task.objects.filter(pk=task.pk).update(created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    with time_machine.travel(datetime.datetime(2026, 9, 20, 10), tick=False):
        services.acknowledge(actor=alice, task=Task.objects.for_list().get(pk=task.pk))
        services.submit_report(
            actor=alice, task=Task.objects.for_list().get(pk=task.pk), text="九月", progress=60
        )
    with time_machine.travel(datetime.datetime(2026, 10, 28, 10), tick=False):
        services.submit_report(
            actor=alice, task=Task.objects.for_list().get(pk=task.pk), text="十月", progress=70
        )
    assert Report.objects.get(period="2026-10").is_late
    periods, rows, totals = reporting_grid(task.plan, Task.objects.for_list(), datetime.date(2026, 11, 20))
    assert periods == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert [c.state for c in rows[0][1]] == ["missing", "on_time", "late", "pending"]
    assert totals == {"on_time": 1, "late": 1, "missing": 1, "pending": 1}


@pytest.mark.django_db
def test_it_shows_the_grid_with_a_fixed_number_of_queries(client, plan, sup, unit_a, unit_b, charlie):
    client.login(username="sup", password=PASSWORD)
    url = reverse("plan_reporting", args=[plan.code])

    def add(n):
        for i in range(n):
            services.create_task(actor=sup, plan=plan, number=str(i + 1), title=f"任务{i}", lead_units=[unit_a],
                                 supporting_units=[unit_b], limit_text="年底前")  # fmt: skip

    add(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
    client.logout()
    client.login(username="charlie", password=PASSWORD)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_it_lets_a_late_report_fill_the_period_it_belongs_to(task, alice):
    Task.objects.filter(pk=task.pk).update(created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    with time_machine.travel(datetime.datetime(2026, 10, 3, 10), tick=False):
        fresh = Task.objects.for_list().get(pk=task.pk)
        services.acknowledge(actor=alice, task=fresh)
        assert services.reportable_periods(fresh, task.lead_units[0], datetime.date(2026, 10, 3)) == [
            "2026-10",
            "2026-09",
        ]
        report = services.submit_report(actor=alice, task=Task.objects.for_list().get(pk=task.pk), text="补报九月",
                                        progress=50, period="2026-09")  # fmt: skip
        assert report.period == "2026-09" and report.is_late
        with pytest.raises(services.TransitionError):
            services.submit_report(actor=alice, task=Task.objects.for_list().get(pk=task.pk), text="x", progress=60,
                                   period="2026-08")  # fmt: skip
    periods, rows, _totals = reporting_grid(task.plan, Task.objects.for_list(), datetime.date(2026, 10, 3))
    assert dict(zip(periods, [c.state for c in rows[0][1]], strict=True))["2026-09"] == "late"
