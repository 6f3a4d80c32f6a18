"""Blue, orange and red orders are numbered 督办〔YYYY〕N号 per year; reminders carry no number."""

import pytest
from django.db import IntegrityError

from tuijin.supervision import orders
from tuijin.supervision.models import Order
from tuijin.tasks.services import create_task

from .test_orders_support import issue


def more_tasks(plan, sup, unit, n):
    return [create_task(actor=sup, plan=plan, number=f"T{i}", title=f"任务{i}", lead_units=[unit],
                        limit_text="年底前") for i in range(n)]  # fmt: skip


@pytest.mark.django_db
def test_it_numbers_orders_one_after_another_within_a_year(plan, sup, unit_a, task):
    first = issue(sup, task)
    second, third = (issue(sup, t, level="blue") for t in more_tasks(plan, sup, unit_a, 2))
    assert [o.document_number for o in (first, second, third)] == [
        "督办〔2026〕1号", "督办〔2026〕2号", "督办〔2026〕3号"]  # fmt: skip


@pytest.mark.django_db
def test_it_starts_again_at_one_in_a_new_year(plan, sup, unit_a, task):
    old = issue(sup, task, day="2025-12-29")
    (other,) = more_tasks(plan, sup, unit_a, 1)
    assert issue(sup, other, day="2025-12-30").document_number == "督办〔2025〕2号"
    (next_year,) = more_tasks(plan, sup, unit_a, 1)
    order = issue(sup, next_year, day="2026-01-05")
    assert old.document_number == "督办〔2025〕1号"
    assert (order.year, order.number, order.document_number) == (2026, 1, "督办〔2026〕1号")


@pytest.mark.django_db
def test_it_gives_a_reminder_no_number(sup, task):
    reminder = issue(sup, task, level="reminder")
    assert reminder.number is None and reminder.document_number == ""
    assert reminder.due_date is None


@pytest.mark.django_db
def test_it_takes_the_next_number_when_another_supervisor_took_it_at_the_same_moment(
    plan, sup, unit_a, task, monkeypatch
):
    issue(sup, task)  # 督办〔2026〕1号
    stale = iter([1])  # the first read is stale: a concurrent issue already took number 1
    real = orders.next_number
    monkeypatch.setattr(orders, "next_number", lambda year: next(stale, None) or real(year))
    (other,) = more_tasks(plan, sup, unit_a, 1)
    order = issue(sup, other)
    assert order.number == 2
    assert Order.objects.filter(year=2026).count() == 2


@pytest.mark.django_db
def test_it_gives_up_after_repeated_number_conflicts(plan, sup, unit_a, task, monkeypatch):
    issue(sup, task)
    monkeypatch.setattr(orders, "next_number", lambda year: 1)
    (other,) = more_tasks(plan, sup, unit_a, 1)
    with pytest.raises(IntegrityError):
        issue(sup, other)
