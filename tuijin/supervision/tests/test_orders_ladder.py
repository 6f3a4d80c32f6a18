"""With the clock moved forward, unanswered orders lapse after their working days and escalate one level."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tuijin.notifications.models import Notification
from tuijin.supervision.models import Order, Policy
from tuijin.supervision.orders import process_lapsed
from tuijin.tasks.models import TaskState

from .test_orders_support import at, issue

Level, State = Order.Level, Order.State


def lapse_on(day: str) -> list[Order]:
    with time_machine.travel(at(day, 7), tick=False):
        return process_lapsed(now=timezone.now())


@pytest.mark.django_db
def test_it_climbs_the_ladder_from_blue_to_interview_when_nobody_answers(sup, task, alice):
    blue = issue(sup, task)  # Monday 2 March, 5 working days
    assert blue.due_date == datetime.date(2026, 3, 9)
    assert lapse_on("2026-03-09") == []  # the due date itself is still in time

    (lapsed,) = lapse_on("2026-03-10")
    assert lapsed.pk == blue.pk
    blue.refresh_from_db()
    orange = blue.next
    assert blue.state == State.LAPSED
    assert (orange.level, orange.state, orange.document_number) == (
        Level.ORANGE,
        State.ISSUED,
        "督办〔2026〕2号",
    )
    assert orange.issued_by is None and orange.unit == blue.unit
    assert orange.due_date == datetime.date(2026, 3, 13)  # 3 working days from Tuesday 10 March

    lapse_on("2026-03-16")
    red = Order.objects.get(previous=orange)
    assert (red.level, red.document_number, red.due_date) == (
        Level.RED,
        "督办〔2026〕3号",
        datetime.date(2026, 3, 18),
    )

    lapse_on("2026-03-19")
    interview = Order.objects.get(previous=red)
    assert (interview.level, interview.number, interview.due_date) == (Level.INTERVIEW, None, None)
    assert lapse_on("2026-06-30") == []  # an interview waits for its record; it does not lapse
    assert [o.level for o in Order.objects.order_by("issued_at", "id")] == [
        "blue",
        "orange",
        "red",
        "interview",
    ]
    assert Notification.objects.filter(user=alice, kind="order_lapsed").count() == 3


@pytest.mark.django_db
def test_it_does_nothing_more_when_run_twice_at_the_same_moment(sup, task):
    issue(sup, task)
    assert len(lapse_on("2026-03-10")) == 1
    assert lapse_on("2026-03-10") == []
    assert Order.objects.count() == 2
    assert Order.objects.filter(state=State.ISSUED).count() == 1


@pytest.mark.django_db
def test_it_counts_working_days_across_the_may_day_holiday(sup, task):
    blue = issue(sup, task, day="2026-04-30")
    assert blue.due_date == datetime.date(2026, 5, 11)  # 1–5 May off, Saturday 9 May a make-up workday
    assert lapse_on("2026-05-08") == []
    assert lapse_on("2026-05-11") == []
    assert len(lapse_on("2026-05-12")) == 1


@pytest.mark.django_db
def test_it_only_lapses_orders_when_the_plan_does_not_escalate_automatically(sup, task, plan):
    Policy.objects.create(plan=plan, auto_escalate=False, blue_response_workdays=2)
    blue = issue(sup, task)
    assert blue.due_date == datetime.date(2026, 3, 4)
    lapse_on("2026-03-05")
    blue.refresh_from_db()
    assert blue.state == State.LAPSED
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_it_does_not_lapse_an_answered_order(sup, task, alice):
    from tuijin.supervision.orders import respond_order

    blue = issue(sup, task)
    respond_order(actor=alice, order=blue, response="已完成桩基施工，计划4月底主体封顶", now=at("2026-03-04"))
    assert lapse_on("2026-03-20") == []
    blue.refresh_from_db()
    assert blue.state == State.RESPONDED


@pytest.mark.django_db
def test_it_escalates_a_lapsed_reminder_with_a_time_limit_to_blue(sup, task):
    reminder = issue(sup, task, level="reminder", response_workdays=2)
    lapse_on("2026-03-05")
    assert Order.objects.get(previous=reminder).level == Level.BLUE


@pytest.mark.django_db
def test_it_does_not_escalate_orders_on_a_closed_task(sup, task):
    blue = issue(sup, task)
    task.state = TaskState.CLOSED
    task.save(update_fields=["state"])
    lapse_on("2026-03-10")
    blue.refresh_from_db()
    assert blue.state == State.LAPSED
    assert not Order.objects.filter(previous=blue).exists()
