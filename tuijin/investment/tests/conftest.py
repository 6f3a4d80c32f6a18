"""The investment cast, beside the suite's fixed one (tuijin/conftest.py):

- ivan: investment officer of 中原科技城管委会 (unit_a, a sector) — keeps that sector's projects
- olga: city-wide investment officer (role `investment` without a unit) — keeps every project
- vera: investment officer of 白沙科学谷 (sector_b) — an outsider to unit_a's projects
- alice: unit user of unit_a — reads unit_a's projects; bob (a department's user) and charlie see nothing
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tuijin.conftest import make_user
from tuijin.investment import services
from tuijin.investment.models import Channel, ProjectCategory
from tuijin.org.models import Role, Unit, UnitKind

VALID_CODE = "914403001922038216"  # a real-format code with a correct check character
OTHER_VALID_CODE = "91110000802100433B"


@pytest.fixture(autouse=True)
def mid_2021(time_machine):
    time_machine.move_to(datetime.datetime(2021, 11, 26, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def sector_b(db):
    return Unit.objects.create(name="白沙科学谷管委会", kind=UnitKind.SECTOR)


@pytest.fixture
def ivan(unit_a):
    return make_user("ivan", Role.INVESTMENT, unit_a, "孙招商")


@pytest.fixture
def olga(db):
    return make_user("olga", Role.INVESTMENT, None, "钱投促")


@pytest.fixture
def vera(sector_b):
    return make_user("vera", Role.INVESTMENT, sector_b, "吴白沙")


@pytest.fixture
def applicant(db):
    return make_user("applicant", Role.APPLICANT, None, "申请人")


@pytest.fixture
def head(db):
    return ProjectCategory.objects.get_or_create(name="头部企业", defaults={"sort_order": 10})[
        0
    ]  # flushed by browser tests


@pytest.fixture
def hightech(db):
    return ProjectCategory.objects.get_or_create(name="高科技企业", defaults={"sort_order": 20})[0]


@pytest.fixture
def enterprise(ivan):
    return services.create_enterprise(
        actor=ivan,
        name="华为技术有限公司",
        credit_code=VALID_CODE,
        industry="信息技术",
        origin="other_province",
    )


def make_project(actor, enterprise, sector, category, name="鲲鹏生态创新中心", **fields):
    fields.setdefault("channel", Channel.DIRECTED)
    fields.setdefault("stage_since", datetime.date(2021, 1, 4))
    return services.create_project(
        actor=actor, name=name, enterprise=enterprise, sector=sector, category=category, **fields
    )


def sign(actor, project, day, amount_wan, kind="framework", increment=None):
    return services.move_stage(
        actor=actor, project=project, to_stage="signed", date=day, agreement_type=kind,
        contract_amount=Decimal(amount_wan), increment_amount=None if increment is None else Decimal(increment),
    )  # fmt: skip


@pytest.fixture
def project(ivan, enterprise, unit_a, head):
    return make_project(ivan, enterprise, unit_a, head, planned_investment=Decimal("100000"))


@pytest.fixture(autouse=True)
def english_messages():
    """The services' refusals are read in English here; the Chinese wording is the translators' (test_translations)."""
    with translation.override("en"):
        yield
