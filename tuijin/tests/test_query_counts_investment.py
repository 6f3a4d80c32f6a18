"""The investment pages and API lists not covered in tuijin/investment/tests cost the same number of queries with
few or many rows: enterprises (list and page), a project's page with its history, the registries (categories,
partners and their funds, policies), and the API's project and enterprise lists, project detail and totals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.investment.models import (
    Agreement,
    AgreementType,
    Contact,
    Enterprise,
    FollowUp,
    Fund,
    Policy,
    Project,
    ProjectCategory,
    ProjectEvent,
    Stage,
    StageChange,
    VentureFirm,
)
from tuijin.org.models import ApiToken, Role

D = datetime.date
BASE = "/api/v1"


@pytest.fixture
def olga(db):
    """A city-wide investment officer: sees every project."""
    return make_user("olga", Role.INVESTMENT, None, "钱投促")


@pytest.fixture
def category(db):
    return ProjectCategory.objects.get_or_create(name="头部企业", defaults={"sort_order": 10})[0]


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(name="华瀚云计算科技有限公司", name_key="华瀚云计算科技", industry="云计算")


@pytest.fixture
def project(enterprise, unit_a, category, olga):
    return Project.objects.create(name="华瀚云区域总部", enterprise=enterprise, sector=unit_a, category=category,
                                  stage=Stage.LEAD, stage_since=D(2026, 1, 5), officer=olga)  # fmt: skip


def grow(n, *, enterprise, project, unit_a, category, olga, alice):
    """n more enterprises with a project each, n more rows of the sample project's history, n more registry rows."""
    start = Enterprise.objects.count()
    for i in range(start, start + n):
        other = Enterprise.objects.create(name=f"企业{i}有限公司", name_key=f"企业{i}", industry="智能制造")
        Contact.objects.create(enterprise=other, name=f"联系人{i}")
        Contact.objects.create(enterprise=enterprise, name=f"联系人{i}", position="经理")
        mine = Project.objects.create(
            name=f"项目{i}", enterprise=other if i % 2 else enterprise, sector=unit_a, category=category,
            stage=Stage.SIGNED, stage_since=D(2026, 3, 1), first_signed_on=D(2026, 3, 1),
            contract_amount=Decimal(1000 + i), officer=olga, agreement_type=AgreementType.FORMAL,
        )  # fmt: skip
        mine.service_team.add(alice)
        Agreement.objects.create(project=mine, agreement_type=AgreementType.FORMAL, signed_on=D(2026, 3, 1),
                                 amount=Decimal(1000 + i), is_first=True, created_by=olga)  # fmt: skip
        Agreement.objects.create(project=project, agreement_type=AgreementType.FRAMEWORK, signed_on=D(2026, 2, 1),
                                 amount=Decimal(500 + i), created_by=olga)  # fmt: skip
        StageChange.objects.create(project=project, from_stage=Stage.LEAD, to_stage=Stage.NEGOTIATING,
                                   date=D(2026, 2, 1), actor=olga, data={"i": i})  # fmt: skip
        FollowUp.objects.create(project=project, date=D(2026, 2, 1 + i % 20), content=f"第{i}次洽谈",
                                next_step="报送协议", next_step_due=D(2026, 4, 1), author=olga)  # fmt: skip
        ProjectEvent.objects.create(project=project, kind=ProjectEvent.Kind.UPDATED, actor=olga, note=f"修改{i}")
        project.service_team.add(make_user(f"team{i}", Role.INVESTMENT, None, f"队员{i}"))
        ProjectCategory.objects.create(name=f"类别{i}", sort_order=20 + i)
        firm = VentureFirm.objects.create(name=f"创投{i}")
        Fund.objects.create(firm=firm, name=f"基金{i}甲", size=Decimal(10000))
        Fund.objects.create(firm=firm, name=f"基金{i}乙")
        policy = Policy.objects.create(title=f"政策{i}", document_number=f"郑政〔2026〕{i}号")
        policy.categories.add(category)


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "olga", "alice"])
def test_it_shows_enterprises_projects_and_registries_with_the_same_queries_for_few_or_many(
    client, enterprise, project, unit_a, category, olga, alice, who, request
):
    world = {"enterprise": enterprise, "project": project, "unit_a": unit_a, "category": category, "olga": olga,
             "alice": alice}  # fmt: skip
    grow(2, **world)
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("investment_enterprise_list"),
        reverse("investment_enterprise_detail", args=[enterprise.code]),
        reverse("investment_project_detail", args=[project.code]),
    ]
    if who != "alice":  # the registries are the officers' and the supervision office's
        urls += [reverse("investment_category_list"), reverse("investment_firm_list"),
                 reverse("investment_policy_list")]  # fmt: skip
    few = {url: queries(client, url) for url in urls}
    grow(9, **world)
    assert {url: queries(client, url) for url in urls} == few


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "olga", "alice"])
def test_it_answers_the_investment_api_with_the_same_queries_for_few_or_many(
    client, enterprise, project, unit_a, category, olga, alice, who, request
):
    world = {"enterprise": enterprise, "project": project, "unit_a": unit_a, "category": category, "olga": olga,
             "alice": alice}  # fmt: skip
    grow(2, **world)
    _token, key = ApiToken.issue(request.getfixturevalue(who))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(f"{BASE}/plans", **headers)  # opens this minute's rate window: later requests count in one UPDATE
    urls = [f"{BASE}/projects", f"{BASE}/projects/totals", f"{BASE}/projects/{project.code}",
            f"{BASE}/enterprises", f"{BASE}/enterprises/{enterprise.code}"]  # fmt: skip
    few = {url: queries(client, url, **headers) for url in urls}
    grow(9, **world)
    assert {url: queries(client, url, **headers) for url in urls} == few
