"""The service desk's cast, beside the suite's fixed one (tuijin/conftest.py):

- alice (unit_a) handles the requests routed to 中原科技城管委会; bob (unit_b) those of 市科技局; charlie (unit_c)
  has none;
- eva speaks for 华瀚云计算 (the enterprise raising most requests) in the portal; oscar for another enterprise;
- sup supervises everything, leader reads everything; the 三员 see nothing.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tuijin.conftest import make_user
from tuijin.investment.models import Enterprise
from tuijin.org.models import Role
from tuijin.servicedesk import services
from tuijin.servicedesk.models import Category, ClockUnit, EnterpriseAccount

CST = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    """A moment in Beijing time: at(2021, 9, 30, 10, 0)."""
    return datetime.datetime(*args, tzinfo=CST)


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(name="华瀚云计算科技有限公司", name_key="华瀚云计算科技")


@pytest.fixture
def other_enterprise(db):
    return Enterprise.objects.create(name="星链智造集团有限公司", name_key="星链智造")


@pytest.fixture
def eva(enterprise):
    user = make_user("eva", Role.APPLICANT, None, "王海燕")
    EnterpriseAccount.objects.create(user=user, enterprise=enterprise)
    return user


@pytest.fixture
def oscar(other_enterprise):
    user = make_user("oscar", Role.APPLICANT, None, "赵星链")
    EnterpriseAccount.objects.create(user=user, enterprise=other_enterprise)
    return user


@pytest.fixture
def five_days(unit_a):
    """Close within 5 working days, acknowledge within 4 working hours; goes to unit_a."""
    return Category.objects.create(name="审批服务", ack_limit=4, ack_unit=ClockUnit.HOURS, close_days=5,
                                   default_unit=unit_a)  # fmt: skip


@pytest.fixture
def one_day(unit_a):
    return Category.objects.create(name="政策咨询", ack_limit=1, ack_unit=ClockUnit.DAYS, close_days=1,
                                   default_unit=unit_a)  # fmt: skip


@pytest.fixture
def raise_for(sup, enterprise, five_days):
    def make(when, *, category=None, unit=None, title="用地指标落实", actor=None, ent=None):
        return services.raise_request(actor=actor or sup, category=category or five_days, enterprise=ent or enterprise,
                                      unit=unit, title=title, description="请协调。", now=when)  # fmt: skip

    return make
