"""The cast of the event tests, on top of the suite's: a programme in April 2026 whose main ceremony, 拜祖大典, is on
三月初三 (Sunday 19 April 2026), led by alice's unit and supported by bob's; charlie's unit has nothing to do
with it. The clock stands at 20 March 2026, 10:00 in Zhengzhou.
"""

import datetime
import zoneinfo

import pytest
from django.test import Client

from tuijin.conftest import PASSWORD
from tuijin.events import checklist, preparation, services
from tuijin.tasks.models import Plan

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
CEREMONY = datetime.date(2026, 4, 19)
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def event_plan(db):
    return Plan.objects.create(
        name="2026年黄河文化月暨拜祖大典筹备工作任务清单", year=2026, kind=Plan.Kind.EVENT,
        start_date=datetime.date(2026, 3, 1), cadence="weekly",
    )  # fmt: skip


@pytest.fixture
def programme(sup, office, event_plan):
    return services.create_programme(
        actor=sup, name="2026黄河文化月暨丙午年黄帝故里拜祖大典", plan=event_plan, organiser=office,
        start_date=datetime.date(2026, 4, 15), end_date=datetime.date(2026, 5, 15),
    )  # fmt: skip


@pytest.fixture
def ceremony(sup, programme, unit_a, unit_b):
    """The main ceremony: alice's unit leads, bob's supports."""
    return services.create_activity(
        actor=sup, programme=programme, title="拜祖大典", date=CEREMONY, start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 0), venue="新郑黄帝故里景区", lead_unit=unit_a, supporting_units=[unit_b],
        capacity=10000, contact_name="王晓明", contact_phone=PHONE, notes="农历三月初三", is_main=True,
    )  # fmt: skip


@pytest.fixture
def opening(sup, programme, unit_b):
    """The opening ceremony, four days earlier, led by bob's unit alone."""
    return services.create_activity(
        actor=sup, programme=programme, title="开幕式", date=datetime.date(2026, 4, 15),
        start_time=datetime.time(19, 30), end_time=datetime.time(21, 0), venue="郑州黄河文化公园",
        lead_unit=unit_b, capacity=3000, contact_name="李静怡", contact_phone="13900001111",
    )  # fmt: skip


@pytest.fixture
def template(sup):
    return preparation.standard_template(actor=sup)


@pytest.fixture
def item(sup, ceremony, unit_a):
    """A checklist item alice's unit answers for."""
    return checklist.add_item(actor=sup, activity=ceremony, title="场地验收", unit=unit_a)
