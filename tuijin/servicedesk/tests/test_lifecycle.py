"""A request's life: acknowledge, transfer (the new unit gets a fresh acknowledgement clock, the reply clock runs
on), extension only before expiry, reply, rating — an unsatisfied rating reopens it and restarts its clock — and
a dated history of every step, each audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.servicedesk import services
from tuijin.servicedesk.models import Event, ServiceRequest, State

from .conftest import at


def local_day(dt):
    return timezone.localtime(dt).date()


def test_it_goes_from_raised_to_closed_with_a_dated_history(raise_for, alice, eva, sup):
    req = raise_for(at(2021, 9, 30, 10, 0))
    assert req.state == State.SUBMITTED and req.number == "QS2021-0001"
    services.acknowledge(actor=alice, request=req, now=at(2021, 9, 30, 11, 0))
    services.reply(actor=alice, request=req, text="已协调解决。", now=at(2021, 10, 8, 16, 0))
    req = services.rate(actor=eva, request=req, satisfaction="satisfied", now=at(2021, 10, 9, 9, 0))
    assert req.state == State.CLOSED and req.on_time
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == ["raised", "acknowledged", "replied", "rated", "closed"]
    assert [e.at for e in req.events.all()] == sorted(e.at for e in req.events.all())
    actions = set(AuditEvent.objects.filter(object_id=str(req.pk)).values_list("action", flat=True))
    assert {
        "servicedesk.raise",
        "servicedesk.acknowledge",
        "servicedesk.reply",
        "servicedesk.rate",
    } <= actions


def test_it_marks_late_acknowledgement_and_late_reply(raise_for, alice):
    req = raise_for(at(2021, 9, 30, 10, 0))  # acknowledge by 10-8 10:00, reply by 10-13
    req = services.acknowledge(actor=alice, request=req, now=at(2021, 10, 8, 10, 30))
    assert req.ack_late
    req = services.reply(actor=alice, request=req, text="答复", now=at(2021, 10, 14, 9, 0))
    assert req.reply_late and not req.on_time


def test_it_lets_only_the_handling_unit_acknowledge(raise_for, bob, sup, eva):
    req = raise_for(at(2021, 9, 30, 10, 0))
    for someone in (bob, sup, eva):
        with pytest.raises(PermissionDenied):
            services.acknowledge(actor=someone, request=req, now=at(2021, 9, 30, 11, 0))


def test_it_restarts_the_acknowledgement_clock_on_transfer_but_not_the_reply_clock(
    raise_for, alice, bob, unit_b
):
    req = raise_for(at(2021, 9, 30, 10, 0))
    due = req.due
    with pytest.raises(services.DeskError):
        services.transfer(actor=alice, request=req, unit=unit_b, reason="", now=at(2021, 10, 8, 9, 0))
    req = services.transfer(
        actor=alice, request=req, unit=unit_b, reason="属科技部门职责", now=at(2021, 10, 8, 15, 0)
    )
    assert req.unit == unit_b and req.state == State.SUBMITTED
    assert timezone.localtime(req.ack_due) == at(
        2021, 10, 9, 11, 0
    )  # 2 h on 10-8, 2 h on the make-up Saturday
    assert req.due == due
    assert "属科技部门职责" in req.events.get(kind=Event.Kind.TRANSFERRED).text
    services.acknowledge(actor=bob, request=req, now=at(2021, 10, 9, 10, 0))


def test_it_allows_an_extension_only_before_expiry(raise_for, alice, sup):
    req = raise_for(at(2021, 9, 30, 10, 0))  # due 10-13
    services.acknowledge(actor=alice, request=req, now=at(2021, 9, 30, 11, 0))
    ext = services.request_extension(
        actor=alice, request=req, days=3, reason="需现场踏勘", now=at(2021, 10, 13, 16, 0)
    )
    with pytest.raises(PermissionDenied):
        services.decide_extension(actor=alice, extension=ext, approve=True)
    services.decide_extension(actor=sup, extension=ext, approve=True, now=at(2021, 10, 14, 9, 0))
    req.refresh_from_db()
    assert local_day(req.due) == datetime.date(2021, 10, 18)
    # after expiry: refused
    with pytest.raises(services.DeskError):
        services.request_extension(
            actor=alice, request=req, days=2, reason="再延", now=at(2021, 10, 19, 9, 0)
        )


def test_it_reopens_an_unsatisfied_request_and_restarts_its_clock(raise_for, alice, eva):
    req = raise_for(at(2021, 9, 30, 10, 0))
    services.acknowledge(actor=alice, request=req, now=at(2021, 9, 30, 11, 0))
    services.reply(actor=alice, request=req, text="已答复", now=at(2021, 10, 12, 10, 0))
    with pytest.raises(services.DeskError):  # unsatisfied needs a word on what is missing
        services.rate(actor=eva, request=req, satisfaction="unsatisfied", now=at(2021, 10, 15, 10, 0))
    req = services.rate(actor=eva, request=req, satisfaction="unsatisfied", comment="问题未解决",
                        now=at(2021, 10, 15, 10, 0))  # fmt: skip
    assert req.state == State.REOPENED and req.reopen_count == 1
    assert req.clock_started_at == at(2021, 10, 15, 10, 0)
    assert local_day(req.due) == datetime.date(2021, 10, 22)  # five working days from 10-15 (Friday)
    assert timezone.localtime(req.ack_due) == at(2021, 10, 15, 14, 0)
    assert req.acknowledged_at is None and req.replied_at is None
    assert req.events.filter(kind=Event.Kind.REOPENED).exists()
    # the unit handles it again, on the new clock
    services.acknowledge(actor=alice, request=req, now=at(2021, 10, 15, 11, 0))
    req = services.reply(actor=alice, request=req, text="已再次协调", now=at(2021, 10, 21, 10, 0))
    assert not req.reply_late


def test_it_lets_only_the_enterprise_rate(raise_for, alice, oscar, sup):
    req = raise_for(at(2021, 9, 30, 10, 0))
    services.reply(actor=alice, request=req, text="答复", now=at(2021, 10, 8, 10, 0))
    for someone in (alice, oscar, sup):
        with pytest.raises(PermissionDenied):
            services.rate(actor=someone, request=req, satisfaction="satisfied")


def test_it_closes_replies_not_rated_in_time(raise_for, alice):
    req = raise_for(at(2021, 9, 30, 10, 0))
    services.reply(actor=alice, request=req, text="答复", now=at(2021, 10, 8, 10, 0))
    assert services.close_unrated(now=at(2021, 10, 13, 10, 0)) == 0  # 5 working days: by 10-15
    assert services.close_unrated(now=at(2021, 10, 16, 10, 0)) == 1
    assert ServiceRequest.objects.get(pk=req.pk).state == State.CLOSED


def test_it_lets_an_enterprise_raise_only_for_itself(eva, other_enterprise, enterprise, five_days):
    with pytest.raises(PermissionDenied):
        services.raise_request(actor=eva, category=five_days, enterprise=other_enterprise, title="t",
                               description="d")  # fmt: skip
    req = services.raise_request(
        actor=eva, category=five_days, enterprise=enterprise, title="t", description="d"
    )
    assert req.channel == "portal" and req.unit == five_days.default_unit


def test_it_numbers_past_the_ten_thousandth_request_of_a_year(raise_for):
    """As text "QS2021-9999" sorts after "QS2021-10000": the next number follows the longest."""
    first = raise_for(at(2021, 9, 30, 9))
    ServiceRequest.objects.filter(pk=first.pk).update(number="QS2021-9999")
    second = raise_for(at(2021, 9, 30, 10))
    ServiceRequest.objects.filter(pk=second.pk).update(number="QS2021-10000")
    assert raise_for(at(2021, 9, 30, 11)).number == "QS2021-10001"
