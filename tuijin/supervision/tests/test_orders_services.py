"""Issuing, answering, accepting and escalating orders: each by the right person, audited and notified."""

import datetime

import pytest

from tuijin.core.models import AuditEvent
from tuijin.notifications.models import Notification
from tuijin.supervision import orders
from tuijin.supervision.models import Order
from tuijin.supervision.orders import OrderError

from .test_orders_support import at, issue

Level, State = Order.Level, Order.State


@pytest.mark.django_db
def test_it_sends_the_order_to_the_first_lead_unit_and_tells_its_users(sup, task, unit_a, alice, bob):
    order = issue(sup, task, requirement="3日内报送孵化基地建设进度")
    assert order.unit == unit_a and order.issued_by == sup and order.state == State.ISSUED
    assert order.response_workdays == 5 and order.due_date == datetime.date(2026, 3, 9)
    notice = Notification.objects.get(user=alice, kind="order_issued")
    assert "督办〔2026〕1号" in notice.title and notice.url.endswith(f"/orders/{order.code}/")
    assert not Notification.objects.filter(user=bob).exists()  # a supporting unit is not addressed
    assert AuditEvent.objects.filter(action="order.issue", object_id=str(order.pk), actor=sup).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice", "bob", "charlie", "auditor"])
def test_it_lets_only_the_supervision_office_issue(task, who, request):
    with pytest.raises(OrderError):
        issue(request.getfixturevalue(who), task)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_it_lets_only_urgent_items_start_at_orange_or_red(sup, task):
    with pytest.raises(OrderError):
        issue(sup, task, level="orange")
    with pytest.raises(OrderError):
        issue(sup, task, level="interview", urgent=True)
    red = issue(sup, task, level="red", urgent=True)
    assert (red.level, red.urgent, red.response_workdays) == (Level.RED, True, 2)


@pytest.mark.django_db
def test_it_keeps_one_open_order_per_task(sup, task):
    issue(sup, task)
    with pytest.raises(OrderError, match="open order|未办结的督办单"):
        issue(sup, task, level="reminder")


@pytest.mark.django_db
def test_it_uses_the_working_days_the_supervisor_sets(sup, task):
    order = issue(sup, task, response_workdays=10)
    assert order.due_date == datetime.date(2026, 3, 16)


@pytest.mark.django_db
def test_it_lets_the_addressed_unit_respond_and_the_supervisor_accept(sup, task, alice):
    order = issue(sup, task)
    orders.respond_order(
        actor=alice, order=order, response="已完成主体结构，4月底前竣工", now=at("2026-03-11")
    )
    order.refresh_from_db()
    assert (order.state, order.responded_by) == (State.RESPONDED, alice)  # late, but still accepted as answer
    assert Notification.objects.filter(user=sup, kind="order_responded").exists()
    orders.accept_order(actor=sup, order=order, note="情况属实", now=at("2026-03-12"))
    order.refresh_from_db()
    assert (order.state, order.decided_by, order.decision_note) == (State.ACCEPTED, sup, "情况属实")
    assert orders.allowed_actions(sup, order) == set()
    assert list(AuditEvent.objects.filter(object_id=str(order.pk), object_type="supervision.order")
                .order_by("id").values_list("action", flat=True)) == ["order.issue", "order.respond",
                                                                      "order.accept"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "charlie", "leader", "sup"])
def test_it_lets_nobody_else_respond(task, sup, who, request):
    order = issue(sup, task)
    with pytest.raises(OrderError):
        orders.respond_order(actor=request.getfixturevalue(who), order=order, response="x")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "leader", "bob"])
def test_it_lets_only_the_supervisor_accept_or_escalate(task, sup, alice, who, request):
    order = issue(sup, task)
    user = request.getfixturevalue(who)
    with pytest.raises(OrderError):
        orders.accept_order(actor=user, order=order)
    with pytest.raises(OrderError):
        orders.escalate_order(actor=user, order=order)
    order.refresh_from_db()
    assert order.state == State.ISSUED


@pytest.mark.django_db
def test_it_escalates_by_hand_to_the_next_level_with_a_new_number(sup, task):
    blue = issue(sup, task)
    orange = orders.escalate_order(actor=sup, order=blue, requirement="立即整改", now=at("2026-03-04"))
    blue.refresh_from_db()
    assert blue.state == State.ESCALATED and orange.previous == blue
    assert (orange.level, orange.document_number, orange.requirement) == (
        "orange",
        "督办〔2026〕2号",
        "立即整改",
    )
    assert orange.due_date == datetime.date(2026, 3, 9)
    with pytest.raises(OrderError):
        orders.escalate_order(actor=sup, order=blue)  # already followed by the orange order


@pytest.mark.django_db
def test_it_records_the_interview_and_escalates_to_a_circular(sup, task):
    order = issue(sup, task, level="red", urgent=True)
    interview_order = orders.escalate_order(actor=sup, order=order, now=at("2026-03-03"))
    assert interview_order.level == Level.INTERVIEW
    with pytest.raises(OrderError):  # not held yet
        orders.record_interview(actor=sup, order=interview_order, held_on=datetime.date(2026, 3, 20),
                                interviewee="x", interviewers="y", notes="z", now=at("2026-03-05"))  # fmt: skip
    interview = orders.record_interview(
        actor=sup, order=interview_order, held_on=datetime.date(2026, 3, 5), interviewee="科技城管委会主任",
        interviewers="市委督查室主任", notes="约谈记录", commitments="4月底前完成", now=at("2026-03-05"),
    )  # fmt: skip
    interview_order.refresh_from_db()
    assert interview.recorded_by == sup and interview_order.state == State.RESPONDED
    circular = orders.escalate_order(actor=sup, order=interview_order, now=at("2026-03-06"))
    assert circular.level == Level.CIRCULAR and circular.number is None
    assert "escalate" not in orders.allowed_actions(sup, circular)


@pytest.mark.django_db
def test_it_follows_up_a_lapsed_order_one_level_up_when_issued_by_hand(sup, task, plan):
    from tuijin.supervision.models import Policy

    Policy.objects.create(plan=plan, auto_escalate=False)
    blue = issue(sup, task)
    orders.process_lapsed(now=at("2026-03-10"))
    assert orders.issuable_levels(task) == ["reminder", "blue", "orange"]
    orange = issue(sup, task, level="orange", day="2026-03-11")
    assert orange.previous == blue
    blue.refresh_from_db()
    assert blue.state == State.LAPSED
