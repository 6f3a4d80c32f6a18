"""Tasks red for too long without an order are suggested to the supervisor, who issues one with one click."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.supervision import orders
from tuijin.supervision.models import Order, Policy, Warning
from tuijin.tasks.services import create_task

from .test_orders_support import at, issue, login


def red_since(task, day: str) -> Warning:
    """The task's open overdue warning, first seen on `day` (whether or not the warnings engine made it)."""
    warning, _ = Warning.objects.update_or_create(
        task=task, kind=Warning.Kind.OVERDUE, resolved_at=None,
        defaults={"level": Warning.Level.RED, "first_seen": at(day), "last_seen": at(day)},
    )  # fmt: skip
    return warning


@pytest.mark.django_db
def test_it_suggests_a_blue_order_for_a_task_red_long_enough(task, plan):
    Policy.objects.create(plan=plan, suggest_order_after_red_days=3)
    red_since(task, "2026-03-02")  # Monday
    assert orders.suggest_orders(now=at("2026-03-04")) == []  # 2 working days
    (suggestion,) = orders.suggest_orders(now=at("2026-03-05"))
    assert (suggestion.task, suggestion.level, suggestion.rule) == (task, "blue", "overdue-red")
    assert "3" in suggestion.reason


@pytest.mark.django_db
def test_it_stops_suggesting_once_an_order_is_issued_and_starts_again_after_it_is_accepted(sup, task):
    red_since(task, "2026-03-02")
    assert len(orders.suggest_orders(now=at("2026-03-04"))) == 1  # default: after 1 working day
    order = issue(sup, task, day="2026-03-04", suggested_by="overdue-red")
    assert order.suggested_by == "overdue-red"
    assert orders.suggest_orders(now=at("2026-03-05")) == []
    orders.accept_order(actor=sup, order=order, now=at("2026-03-06"))
    assert orders.suggest_orders(now=at("2026-03-06")) == []  # counted again from the decision
    assert len(orders.suggest_orders(now=at("2026-03-09"))) == 1


@pytest.mark.django_db
def test_it_suggests_the_next_level_after_a_lapsed_order_nobody_escalated(sup, task, plan):
    Policy.objects.create(plan=plan, auto_escalate=False)
    red_since(task, "2026-03-02")
    issue(sup, task, day="2026-03-02")
    orders.process_lapsed(now=at("2026-03-10"))
    (suggestion,) = orders.suggest_orders(now=at("2026-03-11"))
    assert suggestion.level == "orange"


@pytest.mark.django_db
def test_it_ignores_resolved_warnings(task):
    warning = red_since(task, "2026-03-02")
    warning.resolved_at = at("2026-03-03")
    warning.save()
    assert orders.suggest_orders(now=at("2026-03-10")) == []


@pytest.mark.django_db
def test_it_shows_suggestions_to_the_supervisor_who_issues_with_one_click(client, task, sup, alice):
    red_since(task, "2026-03-02")
    with time_machine.travel(at("2026-03-05"), tick=False):
        login(client, sup)
        page = client.get(reverse("order_list")).content.decode()
        assert 'data-testid="suggestions"' in page and task.title in page
        panel = page.split('data-testid="suggestions"')[1].split("</ul>")[0]
        fields = dict(re.findall(r'name="(level|suggested_by|requirement)" value="([^"]*)"', panel))
        response = client.post(reverse("order_issue", args=[task.code]), fields)
        assert response.status_code == 302
        order = Order.objects.get()
        assert (order.level, order.suggested_by) == ("blue", "overdue-red")
        assert 'data-testid="suggestions"' not in client.get(reverse("order_list")).content.decode()
        client.logout()
        login(client, alice)
        assert 'data-testid="suggestions"' not in client.get(reverse("order_list")).content.decode()


@pytest.mark.django_db
def test_it_builds_the_suggestions_with_a_fixed_number_of_queries(client, plan, sup, unit_a, unit_b):
    login(client, sup)

    def red_tasks(n):
        for i in range(n):
            task = create_task(actor=sup, plan=plan, number=f"R{i}", title=f"滞后任务{i}", lead_units=[unit_a],
                               supporting_units=[unit_b], limit_text="年底前")  # fmt: skip
            red_since(task, "2026-03-02")

    counts = []
    for n in (2, 25):
        red_tasks(n)
        with time_machine.travel(at("2026-03-10"), tick=False), CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("order_list")).content.decode()
        assert page.count("data-suggestion=") == (2 if n == 2 else 27)
        counts.append(len(queries))
    assert counts[0] == counts[1]
