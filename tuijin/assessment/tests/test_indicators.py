"""The built-in indicators measure every unit at once from the records of the period."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.assessment import registry
from tuijin.org.models import Unit, UnitKind
from tuijin.tasks.models import Plan, Task

from .conftest import make_milestone, make_order, make_report, make_task, make_warning

JUNE = (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))


def measure(code, units, params=None, period=JUNE, tasks=None):
    entry = registry.get(code)
    return entry.func(list(units), *period, tasks if tasks is not None else Task.objects.all(), params or {})


@pytest.mark.django_db
def test_it_counts_tasks_closed_by_their_deadline_among_those_due(june, unit_a, unit_b, unit_c):
    result = measure("on_time_closure", [unit_a, unit_b, unit_c])
    assert result[unit_a.pk].value == 0.5
    assert result[unit_b.pk].value == 0.0  # closed on 2 July, after its deadline
    assert result[unit_c.pk].value == 1.0
    assert "1 / due in the period 2 = 50.0%" in result[unit_a.pk].formula
    counted = {s["code"]: s["counted"] for s in result[unit_a.pk].sources}
    assert counted == {str(june["a1"].code): True, str(june["a2"].code): False}
    assert result[unit_a.pk].sources[0]["url"] == f"/tasks/{june['a2'].code}/"


@pytest.mark.django_db
def test_it_gives_full_marks_when_nothing_was_due(plan, unit_a):
    make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31))
    result = measure("on_time_closure", [unit_a])
    assert result[unit_a.pk].value == 1.0
    assert "full marks" in result[unit_a.pk].formula


@pytest.mark.django_db
def test_it_counts_a_task_for_its_lead_unit_only(plan, unit_a, unit_b):
    make_task(plan, unit_a, support=[unit_b], deadline=datetime.date(2026, 6, 10))
    result = measure("on_time_closure", [unit_a, unit_b])
    assert len(result[unit_a.pk].sources) == 1
    assert result[unit_b.pk].sources == []


@pytest.mark.django_db
def test_it_counts_milestones_done_by_their_date(plan, unit_a):
    task = make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31))
    make_milestone(task, datetime.date(2026, 6, 15), done=datetime.date(2026, 6, 14))
    make_milestone(task, datetime.date(2026, 6, 20), done=datetime.date(2026, 6, 22))
    make_milestone(task, datetime.date(2026, 6, 25))
    make_milestone(task, datetime.date(2026, 7, 25))  # not in June
    result = measure("milestone_hits", [unit_a])
    assert result[unit_a.pk].value == pytest.approx(1 / 3)
    assert [s["counted"] for s in result[unit_a.pk].sources] == [True, False, False]


@pytest.mark.django_db
def test_it_counts_the_lead_units_reports_filed_on_time(plan, unit_a, unit_b, alice, bob):
    on_time = make_task(plan, unit_a, support=[unit_b], deadline=datetime.date(2026, 12, 31), number="1")
    late = make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31), number="2")
    missing = make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31), number="3")
    make_task(
        plan, unit_a, deadline=datetime.date(2026, 12, 31), created=datetime.date(2026, 6, 26)
    )  # too new
    make_task(
        plan, unit_a, deadline=datetime.date(2026, 6, 10), closed_on=datetime.date(2026, 6, 9)
    )  # closed
    make_report(on_time, unit_a, alice)
    make_report(missing, unit_b, bob)  # a supporting unit's report does not stand for the lead's
    make_report(late, unit_a, alice, late=True, day=datetime.date(2026, 6, 28))
    make_report(on_time, unit_a, alice, period="2026-05")
    result = measure("report_timeliness", [unit_a])[unit_a.pk]
    assert result.value == pytest.approx(1 / 3)
    kinds = sorted((s["kind"], s["counted"]) for s in result.sources)
    assert kinds == [("report", False), ("report", True), ("task", False)]
    report_source = next(s for s in result.sources if s["kind"] == "report" and s["counted"])
    assert report_source["url"].startswith(f"/tasks/{on_time.code}/#report-")


@pytest.mark.django_db
def test_it_expects_weekly_reports_for_each_week_due_in_the_period(sup, unit_a, alice):
    weekly = Plan.objects.create(name="周报清单", year=2026, cadence="weekly")
    task = make_task(weekly, unit_a, deadline=datetime.date(2026, 12, 31))
    make_report(task, unit_a, alice, period="2026-W23")
    result = measure("report_timeliness", [unit_a])[unit_a.pk]
    # Tuesdays in June 2026: 2, 9, 16, 23 and 30 — five weekly reports due, one filed.
    assert result.value == pytest.approx(1 / 5)


@pytest.mark.django_db
def test_it_deducts_for_warnings_raised_in_the_period_by_level(june, unit_a, unit_d):
    make_warning(june["a1"], "yellow", datetime.date(2026, 6, 2), kind="deadline")
    result = measure("warnings_received", [unit_a, unit_d])
    assert result[unit_a.pk].value == 2
    assert result[unit_a.pk].points == -1.5
    assert result[unit_d.pk].points == 0
    custom = measure("warnings_received", [unit_a], {"points": {"red": 2}})
    assert custom[unit_a.pk].points == -2.5


@pytest.mark.django_db
def test_it_deducts_for_orders_by_level_and_ignores_withdrawn_ones(plan, unit_a, unit_b):
    task = make_task(plan, unit_a, support=[unit_b], deadline=datetime.date(2026, 12, 31))
    make_order(task, unit_a, "blue", number=1)
    make_order(task, unit_a, "red", number=2)
    make_order(task, unit_a, "reminder")
    make_order(task, unit_a, "orange", state="withdrawn")
    make_order(task, unit_a, "red", day=datetime.date(2026, 7, 2))  # July
    make_order(task, unit_b, "orange")
    result = measure("orders_received", [unit_a, unit_b])
    assert (result[unit_a.pk].value, result[unit_a.pk].points) == (2, -4)
    assert (result[unit_b.pk].value, result[unit_b.pk].points) == (1, -2)
    assert any("督办〔2026〕2号" in s["note"] for s in result[unit_a.pk].sources)
    red_only = measure("orders_received", [unit_a], {"weights": {"red": 1}})
    assert red_only[unit_a.pk].value == 1


@pytest.mark.django_db
def test_it_compares_progress_with_the_time_elapsed(plan, unit_a):
    make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31), progress=30)
    make_task(plan, unit_a, deadline=datetime.date(2026, 12, 31), progress=90)
    make_task(plan, unit_a, deadline=datetime.date(2026, 6, 20), closed_on=datetime.date(2026, 6, 18))
    make_task(
        plan, unit_a, deadline=datetime.date(2026, 5, 20), closed_on=datetime.date(2026, 5, 18)
    )  # before June
    result = measure("progress_against_time", [unit_a])[unit_a.pk]
    # 1 January to 30 June of a task due 31 December: 180 of 364 days → 49 %.
    assert result.value == pytest.approx((30 / 49 + 1 + 1) / 3)
    assert len(result.sources) == 3


@pytest.mark.django_db
def test_it_measures_every_unit_with_the_same_number_of_queries(plan):
    def measure_all(n):
        units = [Unit.objects.create(name=f"单位{n}-{i}", kind=UnitKind.SECTOR) for i in range(n)]
        for unit in units:
            task = make_task(plan, unit, deadline=datetime.date(2026, 6, 20), progress=20)
            make_warning(task)
            make_order(task, unit)
            make_milestone(task, datetime.date(2026, 6, 10))
        counts = []
        for code in ("on_time_closure", "milestone_hits", "report_timeliness", "warnings_received",
                     "orders_received", "progress_against_time"):  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                measure(code, units)
            counts.append(len(queries))
        return counts

    assert measure_all(2) == measure_all(12)
