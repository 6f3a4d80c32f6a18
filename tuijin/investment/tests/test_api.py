"""/api/v1/projects and /api/v1/enterprises for every role: scope, 403 for roles without the pipeline, 404 out
of sight, phones masked for roles that do not need them."""

import datetime
from decimal import Decimal

import pytest

from tuijin.investment import services
from tuijin.tasks.tests.test_api_support import Api

from .conftest import sign

pytestmark = pytest.mark.urls("tuijin.investment.tests.urls")

D = datetime.date


@pytest.fixture
def signed(ivan, project, enterprise):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.save_contact(
        actor=ivan, enterprise=enterprise, name="李经理", position="投资总监", phone="13812345678"
    )
    return project


@pytest.fixture
def elsewhere(olga, sector_b, hightech):
    other = services.create_enterprise(actor=olga, name="百度在线网络技术（北京）有限公司",
                                       credit_code="91110000802100433B")  # fmt: skip
    return services.create_project(actor=olga, name="百度智能云基地", enterprise=other, sector=sector_b,
                                   category=hightech, stage_since=D(2021, 2, 1))  # fmt: skip


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


def test_it_refuses_requests_without_a_token(client, signed):
    assert Api(client).get("/projects").status_code == 401
    assert Api(client).get("/enterprises").status_code == 401


@pytest.mark.parametrize("who", ["sup", "leader", "olga"])
def test_it_shows_every_project_to_supervisors_leaders_and_city_wide_officers(
    request, client, signed, elsewhere, who
):
    api = Api(client, request.getfixturevalue(who))
    assert names(api.get("/projects")) == ["百度智能云基地", "鲲鹏生态创新中心"]
    assert api.get(f"/projects/{elsewhere.code}").status_code == 200


@pytest.mark.parametrize("who", ["ivan", "alice"])
def test_it_shows_a_sectors_projects_to_its_officers_and_unit_users(request, client, signed, elsewhere, who):
    api = Api(client, request.getfixturevalue(who))
    assert names(api.get("/projects")) == ["鲲鹏生态创新中心"]
    assert api.get(f"/projects/{elsewhere.code}").status_code == 404
    detail = api.get(f"/projects/{signed.code}").json()
    assert detail["counted_amount"] == "50000.00" and detail["first_signed_on"] == "2021-03-01"
    assert [c["to_stage"] for c in detail["stage_changes"]] == ["lead", "signed"]
    assert detail["agreements"][0]["is_first"] is True


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin", "applicant", "bob", "charlie"])
def test_it_refuses_roles_without_the_pipeline(request, client, signed, who):
    api = Api(client, request.getfixturevalue(who))
    for path in ("/projects", f"/projects/{signed.code}", "/projects/totals", "/enterprises",
                 f"/enterprises/{signed.enterprise.code}"):  # fmt: skip
        assert api.get(path).status_code == 403, (who, path)


def test_it_filters_projects_and_totals_by_the_counting_rules(client, sup, ivan, signed, elsewhere):
    services.sign_again(
        actor=ivan, project=signed, agreement_type="formal", date=D(2021, 4, 1), amount=Decimal(8e4)
    )
    api = Api(client, sup)
    assert names(api.get("/projects", stage="signed")) == ["鲲鹏生态创新中心"]
    assert names(api.get("/projects", sector="白沙科学谷管委会")) == ["百度智能云基地"]
    assert names(api.get("/projects", q="百度")) == ["百度智能云基地"]
    totals = api.get("/projects/totals", year=2021).json()
    assert (totals["count"], totals["amount"]) == (1, "80000.00") and totals["rules"]
    assert api.get("/projects", stage="nonsense").status_code == 422


def test_it_shows_contact_phones_in_full_to_officers_only(client, sup, leader, ivan, alice, signed):
    code = signed.enterprise.code
    assert Api(client, ivan).get(f"/enterprises/{code}").json()["contacts"][0]["phone"] == "13812345678"
    for user in (sup, leader, alice):
        assert Api(client, user).get(f"/enterprises/{code}").json()["contacts"][0]["phone"] == "138****5678"


def test_it_lists_enterprises_in_scope(client, ivan, alice, vera, signed, elsewhere):
    assert names(Api(client, ivan).get("/enterprises")) == [
        "华为技术有限公司",
        "百度在线网络技术（北京）有限公司",
    ]
    assert names(Api(client, alice).get("/enterprises")) == ["华为技术有限公司"]
    assert Api(client, alice).get(f"/enterprises/{elsewhere.enterprise.code}").status_code == 404
    projects = Api(client, vera).get(f"/enterprises/{signed.enterprise.code}").json()["project_list"]
    assert projects == []  # an officer sees the register (to find duplicates), not other sectors' projects


def test_it_treats_an_officer_of_a_city_body_as_city_wide(client, signed, elsewhere, db):
    from tuijin.conftest import make_user
    from tuijin.org.models import Role, Unit, UnitKind

    centre = Unit.objects.create(name="市投资促进中心", kind=UnitKind.DEPARTMENT)
    zhao = make_user("zhao", Role.INVESTMENT, centre, "赵磊")
    assert names(Api(client, zhao).get("/projects")) == ["百度智能云基地", "鲲鹏生态创新中心"]
