"""/api/v1/service-requests/ for every role: scoped like the pages, 403 for the 三员 and roles without a part,
404 out of sight; writes follow the same rules (only the unit acknowledges and replies, only the enterprise
rates)."""

import pytest

from tuijin.tasks.tests.test_api_support import Api

from .conftest import at

BASE = "/service-requests"
LIST = BASE + "/"  # the router's root


@pytest.fixture
def req(raise_for):
    return raise_for(at(2021, 9, 30, 10, 0), title="光电产线环评审批")


@pytest.fixture
def elsewhere(raise_for, unit_b, other_enterprise):
    return raise_for(at(2021, 9, 30, 11, 0), unit=unit_b, ent=other_enterprise, title="金融岛落户奖励")


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_it_refuses_requests_without_a_token(client, req):
    assert Api(client).get(LIST).status_code == 401


@pytest.mark.parametrize("who,expected", [
    ("sup", ["光电产线环评审批", "金融岛落户奖励"]), ("leader", ["光电产线环评审批", "金融岛落户奖励"]),
    ("alice", ["光电产线环评审批"]), ("bob", ["金融岛落户奖励"]), ("charlie", []),
    ("eva", ["光电产线环评审批"]), ("oscar", ["金融岛落户奖励"]),
])  # fmt: skip
def test_it_scopes_the_list_like_the_pages(request, client, req, elsewhere, who, expected):
    api = Api(client, request.getfixturevalue(who))
    assert titles(api.get(LIST)) == expected


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin"])
def test_it_refuses_the_three_administrators(request, client, req, who):
    api = Api(client, request.getfixturevalue(who))
    assert api.get(LIST).status_code == 403
    assert api.get(f"{BASE}/{req.code}").status_code == 403


def test_it_answers_404_out_of_sight(client, req, charlie, oscar):
    assert Api(client, charlie).get(f"{BASE}/{req.code}").status_code == 404
    assert Api(client, oscar).get(f"{BASE}/{req.code}").status_code == 404


def test_it_runs_the_life_of_a_request(client, req, alice, eva, leader, five_days):
    detail = Api(client, eva).get(f"{BASE}/{req.code}").json()
    assert detail["events"][0]["kind"] == "raised"
    assert Api(client, leader).post(f"{BASE}/{req.code}/acknowledge").status_code == 403
    assert Api(client, eva).post(f"{BASE}/{req.code}/acknowledge").status_code == 403
    assert Api(client, alice).post(f"{BASE}/{req.code}/acknowledge").json()["state"] == "in_progress"
    assert Api(client, alice).post(f"{BASE}/{req.code}/reply", {"text": ""}).status_code == 422
    assert (
        Api(client, alice).post(f"{BASE}/{req.code}/reply", {"text": "已解决"}).json()["state"] == "replied"
    )
    assert (
        Api(client, alice).post(f"{BASE}/{req.code}/rate", {"satisfaction": "satisfied"}).status_code == 403
    )
    rated = Api(client, eva).post(
        f"{BASE}/{req.code}/rate", {"satisfaction": "unsatisfied", "comment": "没解决"}
    )
    assert rated.json()["state"] == "reopened" and rated.json()["reopen_count"] == 1


def test_it_lets_an_enterprise_raise_for_itself(client, eva, five_days, enterprise):
    response = Api(client, eva).post(LIST, {"category": str(five_days.code), "title": "上云补贴",
                                            "description": "请告知申报渠道"})  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"] == enterprise.name
    assert Api(client, eva).post(LIST, {"category": str(five_days.code), "title": "", "description": "d"}
                                 ).status_code == 422  # fmt: skip


def test_it_refuses_raising_to_roles_without_a_part(client, leader, five_days, enterprise):
    body = {
        "category": str(five_days.code),
        "title": "t",
        "description": "d",
        "enterprise": str(enterprise.code),
    }
    assert Api(client, leader).post(LIST, body).status_code == 403


def test_it_refuses_a_page_number_beyond_reach(client, sup, req):
    api = Api(client, sup)
    assert api.get(LIST, page=10**18).status_code == 422
    assert api.get(LIST, page=2).status_code == 200


def test_it_transfers_and_asks_for_extensions_like_the_pages(client, req, alice, bob, unit_b, time_machine):
    time_machine.move_to(at(2021, 10, 8, 9, 0))
    assert Api(client, bob).post(f"{BASE}/{req.code}/transfer", {"unit": str(unit_b.code), "reason": "x"}
                                 ).status_code == 404  # fmt: skip
    body = {"unit": str(unit_b.code), "reason": ""}
    assert Api(client, alice).post(f"{BASE}/{req.code}/transfer", body).status_code == 422
    body["reason"] = "属科技部门职责"
    moved = Api(client, alice).post(f"{BASE}/{req.code}/transfer", body).json()
    assert moved["unit"] == unit_b.name and moved["state"] == "submitted"
    asked = Api(client, bob).post(f"{BASE}/{req.code}/extension", {"days": 3, "reason": "需踏勘"})
    assert asked.status_code == 200 and asked.json()["events"][-1]["kind"] == "extension_requested"
    time_machine.move_to(at(2021, 10, 14, 9, 0))  # past the limit (10-13)
    late = Api(client, bob).post(f"{BASE}/{req.code}/extension", {"days": 3, "reason": "再延"})
    assert late.status_code == 422
