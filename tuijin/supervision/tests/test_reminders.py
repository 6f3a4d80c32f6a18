"""Lead units are reminded before a deadline and a report due date, and once more the day after either was
missed — each notice once, whatever the number of runs."""

import pytest

from tuijin.notifications.models import Notification
from tuijin.supervision.models import Policy
from tuijin.supervision.reminders import remind_deadlines, remind_reports
from tuijin.tasks import services
from tuijin.tasks.models import Task, TaskState

from .test_warnings_support import at, make_task, on

pytestmark = pytest.mark.django_db


def notices(user, kind=None):
    qs = Notification.objects.filter(user=user)
    return list(qs.filter(kind=kind) if kind else qs)


def test_it_reminds_the_lead_unit_three_working_days_before_the_deadline_once(
    sup, plan, unit_a, unit_b, alice, bob, charlie
):
    task = make_task(sup, plan, [unit_a], [unit_b])  # due Tuesday 2026-06-30
    assert remind_deadlines(at("2026-06-24")) == 0  # 4 working days left
    assert remind_deadlines(at("2026-06-25")) == 1
    (notice,) = notices(alice)
    assert notice.key == f"remind:deadline:{task.pk}:2026-06-30:before"
    assert (notice.kind, notice.level) == ("remind_deadline", "yellow")
    assert "3" in notice.title and "2026-06-30" in notice.body
    assert notice.url.endswith(f"/tasks/{task.code}/")
    assert notices(bob) == notices(charlie) == []  # supporting units and outsiders are not reminded
    assert remind_deadlines(at("2026-06-25", 15)) == 0
    assert remind_deadlines(at("2026-06-29")) == 0
    assert len(notices(alice)) == 1


def test_it_reminds_as_many_working_days_before_as_the_plans_policy_says(sup, plan, unit_a, alice):
    Policy.objects.create(plan=plan, remind_workdays_before=6)
    make_task(sup, plan, [unit_a])
    assert remind_deadlines(at("2026-06-18")) == 0  # 7 working days left (19–21 June are holidays)
    assert remind_deadlines(at("2026-06-22")) == 1  # 6 left


def test_it_reminds_the_day_after_the_deadline_lapsed_once(sup, plan, unit_a, alice):
    task = make_task(sup, plan, [unit_a])
    remind_deadlines(at("2026-06-25"))
    assert remind_deadlines(at("2026-06-30")) == 0  # due today: already reminded
    assert remind_deadlines(at("2026-07-01")) == 1
    lapsed = Notification.objects.get(user=alice, key__endswith=":lapsed")
    assert lapsed.key == f"remind:deadline:{task.pk}:2026-06-30:lapsed"
    assert lapsed.level == "red"
    assert remind_deadlines(at("2026-07-02")) == 0
    assert len(notices(alice)) == 2


def test_it_reminds_again_for_an_extended_deadline(sup, plan, unit_a, alice):
    task = make_task(sup, plan, [unit_a])
    remind_deadlines(at("2026-06-25"))
    Task.objects.filter(pk=task.pk).update(deadline="2026-07-31")
    assert remind_deadlines(at("2026-07-28")) == 1
    assert Notification.objects.filter(user=alice, key__contains=":2026-07-31:before").exists()


def test_it_leaves_closed_and_long_overdue_tasks_alone(sup, plan, unit_a, alice):
    closed = make_task(sup, plan, [unit_a], number="1")
    Task.objects.filter(pk=closed.pk).update(state=TaskState.CLOSED)
    make_task(sup, plan, [unit_a], number="2", limit="3月底前")
    assert remind_deadlines(at("2026-06-25")) == 0  # one closed, the other overdue for months
    assert notices(alice) == []


def test_it_reminds_each_lead_unit_once_before_the_report_due_date(sup, plan, unit_a, unit_b, alice, bob):
    make_task(sup, plan, [unit_a], number="1", day="2026-03-02")
    make_task(sup, plan, [unit_a], number="2", day="2026-03-02")
    make_task(sup, plan, [unit_b], [unit_a], number="3", day="2026-03-02")
    assert remind_reports(at("2026-03-19")) == 0  # 4 working days before the 25th
    assert remind_reports(at("2026-03-20")) == 2  # one notice for alice (two tasks), one for bob
    (notice,) = notices(alice)
    assert notice.key == f"remind:report:{plan.pk}:{unit_a.pk}:2026-03:before"
    assert "任务1" in notice.body and "任务2" in notice.body and "任务3" not in notice.body
    assert notice.url.endswith(f"/plans/{plan.code}/reporting/")
    assert remind_reports(at("2026-03-23")) == 0
    assert len(notices(bob)) == 1


def test_it_reminds_the_day_after_a_missed_report_only_those_still_missing(
    sup, plan, unit_a, unit_b, alice, bob
):
    make_task(sup, plan, [unit_a], number="1", day="2026-03-02")
    done = make_task(sup, plan, [unit_b], number="2", day="2026-03-02")
    with on("2026-03-24"):
        services.acknowledge(actor=bob, task=done)
        services.submit_report(actor=bob, task=Task.objects.for_list().get(pk=done.pk), text="已完成3月任务")
    assert remind_reports(at("2026-03-25")) == 1  # alice: due today (bob reported)
    assert remind_reports(at("2026-03-26")) == 1  # alice again, now missed
    missed = Notification.objects.get(user=alice, key__endswith=":missed")
    assert missed.key == f"remind:report:{plan.pk}:{unit_a.pk}:2026-03:missed"
    assert missed.level == "yellow"
    assert notices(bob) == []
    assert remind_reports(at("2026-03-27")) == 0


def test_it_does_not_remind_about_a_report_due_before_the_task_existed(sup, plan, unit_a, alice):
    make_task(sup, plan, [unit_a], day="2026-03-27")
    assert remind_reports(at("2026-03-28")) == 0
    assert notices(alice) == []
