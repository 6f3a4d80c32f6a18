"""Past the middle of a quarter, members with no confirmed service in it so far are reminded — once a quarter."""

import datetime
import zoneinfo

import pytest

from tuijin.conftest import make_user
from tuijin.org.models import Role

from .. import services
from ..feedback import remind_idle_members, run_periodic
from ..services_service import decide_record, submit_record

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def alan(unit_a, community, dora):
    """A second registered member of unit_a, who served and was confirmed this quarter."""
    alan = make_user("alan", Role.UNIT, unit_a, "王同事")
    reg = services.register_member(actor=alan, unit=unit_a, community=community, address="某小区",
                                   availability="weekends", registered_on=D(2026, 4, 1))  # fmt: skip
    services.decide_member_registration(actor=dora, registration=reg, accept=True)
    record = submit_record(actor=alan, community=community, served_on=D(2026, 5, 2), hours=2, activity="敬老")
    decide_record(actor=dora, service=record, confirm=True)
    return alan


@pytest.mark.django_db
def test_it_waits_for_the_middle_of_the_quarter(alice_member, alice):
    assert remind_idle_members(D(2026, 5, 16)) == 0  # 1 April + 45 days: still the first half
    assert not alice.notifications.filter(kind="party.reminder").exists()


@pytest.mark.django_db
def test_it_reminds_idle_members_once_a_quarter(alice_member, alice, alan, community, dora):
    unconfirmed = submit_record(
        actor=alice, community=community, served_on=D(2026, 5, 10), hours=2, activity="x"
    )
    assert remind_idle_members(D(2026, 5, 17)) == 1  # alice: her only record is not confirmed yet
    notice = alice.notifications.get(kind="party.reminder")
    assert "2026-06-30" in notice.body and "文化路社区" in notice.body
    assert not alan.notifications.filter(kind="party.reminder").exists()
    assert remind_idle_members(D(2026, 6, 1)) == 0  # the same quarter: never twice
    decide_record(actor=dora, service=unconfirmed, confirm=True)
    assert remind_idle_members(D(2026, 8, 20)) == 2  # next quarter, past its middle: both idle again
    assert alice.notifications.filter(kind="party.reminder").count() == 2


@pytest.mark.django_db
def test_it_reminds_only_accepted_registered_members(alice, unit_a, community, charlie):
    # alice's registration awaits the community; charlie has none
    services.register_member(actor=alice, unit=unit_a, community=community, address="某小区",
                             availability="weekends", registered_on=D(2026, 4, 1))  # fmt: skip
    assert remind_idle_members(D(2026, 5, 20)) == 0


@pytest.mark.django_db
def test_it_runs_as_one_tick_step(alice_member, alice):
    summary = run_periodic(datetime.datetime(2026, 5, 20, 9, tzinfo=SHANGHAI))
    assert summary == "idle members reminded: 1, unit feedback sent: 1"
    again = run_periodic(datetime.datetime(2026, 5, 20, 10, tzinfo=SHANGHAI))
    assert again == "idle members reminded: 0, unit feedback sent: 0"
