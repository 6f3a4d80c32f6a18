"""The 双报到 cast, on top of the suite's fixed cast (tuijin/conftest.py), on 20 May 2026 (past mid-Q2):

- community 文化路社区 (金水区丰产路街道); dora is its staff (a unit user of the community's account unit)
- other_community 如意湖社区 (郑东新区); erin is its staff
- unit_a (alice) is registered with the community and accepted; alice lives there and is registered too
- unit_c (charlie) has registered nothing
- need: a service need of the community with 2 places on 25 May
"""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from tuijin.conftest import PASSWORD, make_user
from tuijin.org.models import Role

from .. import services
from ..models import Need, RegistrationState
from ..services_service import publish_need

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def may_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC), tick=True)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def community(sup):
    return services.save_community(
        actor=sup, name="文化路社区", street="丰产路街道", district="金水区", address="金水区文化路12号",
        contact_name="王主任", contact_phone="13812345678",
    )  # fmt: skip


@pytest.fixture
def other_community(sup):
    return services.save_community(
        actor=sup, name="如意湖社区", street="如意湖街道", district="郑东新区", contact_phone="13900001111"
    )


@pytest.fixture
def dora(community):
    """Staff of the community: a unit user of its account unit."""
    return make_user("dora", Role.UNIT, community.unit, "社区刘书记")


@pytest.fixture
def erin(other_community):
    return make_user("erin", Role.UNIT, other_community.unit, "如意湖社区陈主任")


@pytest.fixture
def registration(alice, dora, unit_a, community):
    """unit_a registered with the community, accepted."""
    reg = services.submit_registration(
        actor=alice, unit=unit_a, community=community, registered_on=datetime.date(2026, 3, 1),
        contact_name="张科技", contact_phone="13600001234", commitments="结对共建，每月第一个周六到社区开展志愿服务",
    )  # fmt: skip
    return services.decide_registration(actor=dora, registration=reg, accept=True)


@pytest.fixture
def alice_member(alice, dora, unit_a, community):
    """alice registered where she lives (the community), accepted."""
    reg = services.register_member(
        actor=alice, unit=unit_a, community=community, address="金水区文化路街道花园小区3号楼2单元501",
        phone="13712345678", skills="法律咨询", availability="weekends", registered_on=datetime.date(2026, 3, 5),
    )  # fmt: skip
    reg = services.decide_member_registration(actor=dora, registration=reg, accept=True)
    assert reg.state == RegistrationState.ACCEPTED
    return reg


@pytest.fixture
def need(dora, community) -> Need:
    return publish_need(actor=dora, community=community, kind=Need.Kind.SERVICE, title="为独居老人打扫卫生",
                        needed_on=datetime.date(2026, 5, 25), places=2, description="周末上午")  # fmt: skip


@pytest.fixture(autouse=True)
def english_messages():
    """The services' refusals are read in English here; the Chinese wording is the translators' (test_translations)."""
    with translation.override("en"):
        yield
