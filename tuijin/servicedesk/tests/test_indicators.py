"""Per-unit on-time and satisfaction rates as assessment indicators; call-back records count toward the unit's
satisfaction rate (the latest call-back's verdict stands in for the enterprise's rating)."""

import datetime

import pytest

from tuijin.assessment import registry
from tuijin.servicedesk import services

from .conftest import at

D = datetime.date


@pytest.fixture(autouse=True)
def after_2021(time_machine):
    time_machine.move_to(datetime.datetime(2021, 12, 20, 10, 0, tzinfo=datetime.UTC))


def handled(raise_for, alice, eva, *, raised, reply_at, rating=None, title="事项"):
    req = raise_for(raised, title=title)
    services.acknowledge(actor=alice, request=req, now=raised + datetime.timedelta(hours=1))
    req = services.reply(actor=alice, request=req, text="答复", now=reply_at)
    if rating:
        req = services.rate(actor=eva, request=req, satisfaction=rating, comment="未解决",
                            now=reply_at + datetime.timedelta(days=1))  # fmt: skip
    return req


def test_it_registers_both_indicators():
    assert registry.get("servicedesk.on_time_rate") is not None
    assert registry.get("servicedesk.satisfaction_rate") is not None


def test_it_measures_the_on_time_rate_per_unit(raise_for, alice, eva, unit_a, unit_b):
    handled(raise_for, alice, eva, raised=at(2021, 11, 1, 10, 0), reply_at=at(2021, 11, 3, 10, 0))  # on time
    handled(raise_for, alice, eva, raised=at(2021, 11, 8, 10, 0), reply_at=at(2021, 11, 19, 10, 0))  # late
    raise_for(at(2021, 11, 22, 10, 0), title="未办")  # open past its limit (11-29)
    result = registry.get("servicedesk.on_time_rate").func([unit_a, unit_b], D(2021, 11, 1), D(2021, 11, 30),
                                                           None, {})  # fmt: skip
    measured = result[unit_a.pk]
    assert measured.value == pytest.approx(1 / 3)
    assert "33.3%" in measured.formula
    assert [s["counted"] for s in measured.sources] == [True, False, False]
    assert result[unit_b.pk].value == 1.0  # nothing due: full marks


def test_it_counts_call_backs_toward_the_satisfaction_rate(raise_for, alice, eva, sup, unit_a):
    rated = handled(raise_for, alice, eva, raised=at(2021, 11, 1, 10, 0), reply_at=at(2021, 11, 3, 10, 0),
                    rating="satisfied", title="已评价")  # fmt: skip
    unrated = handled(raise_for, alice, eva, raised=at(2021, 11, 2, 10, 0), reply_at=at(2021, 11, 4, 10, 0),
                      title="未评价")  # fmt: skip
    calc = registry.get("servicedesk.satisfaction_rate").func
    before = calc([unit_a], D(2021, 11, 1), D(2021, 11, 30), None, {})[unit_a.pk]
    assert before.value == 1.0
    assert [s["counted"] for s in before.sources] == [True, False]  # the unrated one is not counted yet
    # the office calls both back: the unrated enterprise is unsatisfied, the rated one only basically satisfied
    services.record_callback(actor=sup, request=unrated, called_on=D(2021, 11, 10), satisfaction="unsatisfied",
                             notes="企业反映仍未解决", now=at(2021, 11, 10, 10, 0))  # fmt: skip
    services.record_callback(actor=sup, request=rated, called_on=D(2021, 11, 10), satisfaction="basic",
                             now=at(2021, 11, 10, 11, 0))  # fmt: skip
    after = calc([unit_a], D(2021, 11, 1), D(2021, 11, 30), None, {})[unit_a.pk]
    assert after.value == 0.5
    notes = [s["note"] for s in after.sources]
    assert all("回访" in n or "call-back" in n for n in notes)
    # an unsatisfied call-back on a reply still awaiting the rating reopens it
    unrated.refresh_from_db()
    assert unrated.state == "reopened"


def test_it_refuses_a_call_back_by_others_than_the_office(raise_for, alice, eva):
    req = handled(raise_for, alice, eva, raised=at(2021, 11, 1, 10, 0), reply_at=at(2021, 11, 3, 10, 0),
                  rating="satisfied")  # fmt: skip
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_callback(
            actor=alice, request=req, called_on=D(2021, 11, 10), satisfaction="satisfied"
        )
