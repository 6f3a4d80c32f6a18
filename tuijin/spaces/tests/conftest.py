"""The spaces cast, on top of the suite's fixed cast (tuijin/conftest.py), on 20 May 2026:

- building: 中原科技城人才公寓 in unit_a's sector, kept by `manager` (a space manager); `other_manager` keeps
  `other_building` (offices) and nothing else
- ann and ben: applicants (talents); each sees only their own
- flat: an available apartment with furnishing; office_space: an available office of 200 m²
- the default policies (seeded by the migration; seeded again here for the tests that flush the database)
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tuijin.conftest import PASSWORD, make_user
from tuijin.org.models import Role
from tuijin.tasks.evidence import check_upload

from .. import services
from ..defaults import seed_policies
from ..demo import make_id_number
from ..models import Application, Building, Policy, Space, SpaceKind

TODAY = datetime.date(2026, 5, 20)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def may_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC), tick=True)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def id_number(n: int) -> str:
    return make_id_number(f"41010519900101{n:03d}")


@pytest.fixture
def policies(db):
    seed_policies(Policy)
    return {p.kind: p for p in Policy.objects.all()}


@pytest.fixture
def apartment_policy(policies):
    return policies[SpaceKind.APARTMENT]


@pytest.fixture
def office_policy(policies):
    return policies[SpaceKind.OFFICE]


@pytest.fixture
def manager(db):
    return make_user("manager", Role.SPACE_MANAGER, None, "钱运营")


@pytest.fixture
def other_manager(db):
    return make_user("other_manager", Role.SPACE_MANAGER, None, "孙运营")


@pytest.fixture
def building(unit_a, manager):
    b = Building.objects.create(name="中原科技城人才公寓", address="郑东新区智慧岛中道东路88号", sector=unit_a,
                                operator="人才服务公司")  # fmt: skip
    b.managers.add(manager)
    return b


@pytest.fixture
def other_building(unit_a, other_manager):
    b = Building.objects.create(name="创新孵化基地", address="郑东新区如意东路66号", sector=unit_a)
    b.managers.add(other_manager)
    return b


@pytest.fixture
def flat(building, policies):
    return Space.objects.create(building=building, kind=SpaceKind.APARTMENT, label="1-201", rooms=2,
                                area=Decimal("75"), market_rent=Decimal("2400"),
                                furnishing=["双人床", "空调", "洗衣机"])  # fmt: skip


@pytest.fixture
def office_space(building, policies):
    return Space.objects.create(building=building, kind=SpaceKind.OFFICE, label="A301", desks=0,
                                area=Decimal("200"), market_rent=Decimal("10000"), furnishing=["办公桌椅"])  # fmt: skip


@pytest.fixture
def ann(db):
    return make_user("ann", Role.APPLICANT, None, "安申请")


@pytest.fixture
def ben(db):
    return make_user("ben", Role.APPLICANT, None, "贲申请")


def documents(policy: Policy) -> list:
    return [(t, check_upload(SimpleUploadedFile("doc.pdf", PDF))) for t in policy.required_documents]


def submit(
    user, policy, *, category="C", n=1, name="", items=(), employer="超聚变数字技术有限公司", credit_code=""
):
    return services.submit_application(
        actor=user, policy=policy, category=category, name=name or user.display_name, id_number=id_number(n),
        phone="13812345678", employer=employer, documents=documents(policy), score_items=items,
        credit_code=credit_code,
    )  # fmt: skip


def queue_up(application, reviewer) -> Application:
    """Take an application through both reviews and its publicity into the queue."""
    services.review(actor=reviewer, application=application, step="first", approve=True)
    services.review(actor=reviewer, application=application, step="second", approve=True)
    application.refresh_from_db()
    services.finish_publicity(today=application.publicity_ends + datetime.timedelta(days=1))
    application.refresh_from_db()
    return application


@pytest.fixture
def ann_application(ann, apartment_policy):
    return submit(ann, apartment_policy, category="C", n=1)


@pytest.fixture
def ann_queued(ann_application, manager):
    return queue_up(ann_application, manager)


@pytest.fixture
def lease(ann_queued, flat, manager):
    return services.allocate(actor=manager, application=ann_queued, space=flat, start=timezone.localdate())
