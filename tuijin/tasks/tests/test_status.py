"""Status from the deadline in working days and from progress against elapsed time (序时进度)."""

import datetime

import pytest

from tuijin.lib.workdays import WorkdayCalendar
from tuijin.tasks.models import Plan, Task, TaskState
from tuijin.tasks.status import compute_status

CAL = WorkdayCalendar()


def make(deadline, progress=0, state=TaskState.IN_PROGRESS, **plan_kw):
    plan = Plan(name="p", year=2021, start_date=datetime.date(2021, 1, 1), **plan_kw)
    return Task(plan=plan, title="t", deadline=deadline, progress=progress, state=state)


def status(task, today):
    return compute_status(task, today=today, calendar=CAL).status


def test_it_is_overdue_the_day_after_the_deadline():
    assert status(make(datetime.date(2021, 6, 30), 100), datetime.date(2021, 7, 1)) == "overdue"


def test_it_warns_within_three_working_days():
    # Friday 2021-06-25: Mon 28, Tue 29, Wed 30 are 3 working days to the deadline.
    assert status(make(datetime.date(2021, 6, 30), 95), datetime.date(2021, 6, 25)) == "warning"
    assert status(make(datetime.date(2021, 6, 30), 95), datetime.date(2021, 6, 24)) == "normal"


def test_it_counts_holidays_out_of_working_days():
    # 2021-10-01..07 are the National Day holiday: from 30 Sep, 8 Oct is the first working day.
    assert status(make(datetime.date(2021, 10, 8), 99), datetime.date(2021, 9, 29)) == "warning"


def test_it_warns_when_progress_lags_elapsed_time_by_more_than_ten_points():
    # Halfway through the year a task due at year end should be near 50 %.
    assert status(make(datetime.date(2021, 12, 31), 35), datetime.date(2021, 7, 2)) == "warning"
    assert status(make(datetime.date(2021, 12, 31), 45), datetime.date(2021, 7, 2)) == "normal"


def test_it_uses_the_plans_thresholds():
    task = make(datetime.date(2021, 12, 31), 35, progress_lag_points=20)
    assert status(task, datetime.date(2021, 7, 2)) == "normal"


def test_it_treats_closed_and_continuing_tasks_calmly():
    assert (
        status(make(datetime.date(2021, 1, 1), state=TaskState.CLOSED), datetime.date(2021, 7, 1)) == "closed"
    )
    assert status(make(None), datetime.date(2021, 7, 1)) == "normal"


@pytest.mark.django_db
def test_it_stores_status_and_reason_on_refresh(task):
    from tuijin.tasks.services import refresh_status

    refresh_status([task], today=datetime.date(2027, 1, 4))
    task.refresh_from_db()
    assert task.status == "overdue"
    assert "2026-12-31" in task.status_reason
