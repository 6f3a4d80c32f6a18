"""The coordination API with the pages' rules for every role: meetings with decisions and task states, proposing an
agenda item, recording decisions and issuing minutes, leader instructions, the roster with masked phones."""

import pytest

from tuijin.core.models import AuditEvent
from tuijin.tasks.models import SourceKind
from tuijin.tasks.tests.test_api_support import Api

pytestmark = pytest.mark.django_db
P = "/coordination"


@pytest.fixture
def cast(sup, leader, alice, bob, charlie, auditor, sysadmin, secadmin):
    return {"sup": sup, "leader": leader, "alice": alice, "bob": bob, "charlie": charlie, "auditor": auditor,
            "sysadmin": sysadmin, "secadmin": secadmin}  # fmt: skip


def test_it_refuses_requests_without_a_token(client, issued):
    assert Api(client).get(P + "/meetings").status_code == 401


def test_it_scopes_meetings_by_role(client, cast, issued):
    path = f"{P}/meetings/{issued.code}"
    expected = {"sup": 200, "leader": 200, "alice": 200, "bob": 200, "charlie": 404, "auditor": 403,
                "sysadmin": 403, "secadmin": 403}  # fmt: skip
    for name, user in cast.items():
        assert Api(client, user).get(path).status_code == expected[name], name
    assert Api(client, cast["charlie"]).get(P + "/meetings").json() == []
    assert len(Api(client, cast["bob"]).get(P + "/meetings").json()) == 1


def test_it_gives_decisions_with_their_task_state(client, bob, issued, next_meeting):
    body = Api(client, bob).get(f"{P}/meetings/{next_meeting.code}").json()
    earlier = body["earlier_decisions"]
    assert len(earlier) == 1 and earlier[0]["minutes"] == "纪要〔2021〕1号"
    assert earlier[0]["task"]["state"] == "assigned" and earlier[0]["lead_unit"] == "中原科技城管委会"
    assert Api(client, bob).get(f"{P}/decisions", open="true").json()[0]["number"] == 1


def test_it_lets_a_member_propose_and_the_convener_decide_and_issue(
    client, alice, bob, unit_a, unit_b, meeting
):
    response = Api(client, bob).post(f"{P}/meetings/{meeting.code}/agenda",
                                     {"unit": str(unit_b.code), "title": "孵化器奖补政策"})  # fmt: skip
    assert response.status_code == 201 and response.json()["state"] == "proposed"
    refused = Api(client, bob).post(
        f"{P}/meetings/{meeting.code}/agenda", {"unit": str(unit_a.code), "title": "冒名"}
    )
    assert refused.status_code == 403
    assert Api(client, bob).post(f"{P}/meetings/{meeting.code}/decisions",
                                 {"text": "越权", "lead_unit": str(unit_b.code)}).status_code == 403  # fmt: skip
    decided = Api(client, alice).post(f"{P}/meetings/{meeting.code}/decisions", {
        "text": "出台孵化器奖补办法", "lead_unit": str(unit_b.code), "supporting_units": [str(unit_a.code)],
        "limit_text": "6月底前"})  # fmt: skip
    assert decided.status_code == 201 and decided.json()["task"] is None
    issued = Api(client, alice).post(f"{P}/meetings/{meeting.code}/minutes", {"summary": "会议纪要"})
    body = issued.json()
    assert issued.status_code == 200 and body["locked"] and body["minutes"] == "纪要〔2021〕1号"
    assert body["decisions"][0]["task"]["state"] == "assigned"
    again = Api(client, alice).post(f"{P}/meetings/{meeting.code}/minutes", {})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="coordination.agenda.propose").count() == 1


def test_it_validates_unknown_units(client, alice, meeting):
    import uuid

    response = Api(client, alice).post(f"{P}/meetings/{meeting.code}/decisions",
                                       {"text": "x", "lead_unit": str(uuid.uuid4())})  # fmt: skip
    assert response.status_code == 422 and not meeting.decisions.exists()


def test_it_records_instructions_for_leaders_and_the_office_only(client, leader, alice, unit_a):
    body = {"date": "2021-03-02", "subject": "关于人才公寓的批示", "text": "年底前交付。", "lead_unit": str(unit_a.code),
            "limit_text": "年底前"}  # fmt: skip
    assert Api(client, alice).post(f"{P}/instructions", body).status_code == 403
    created = Api(client, leader).post(f"{P}/instructions", body)
    assert created.status_code == 201 and created.json()["tasks"][0]["state"] == "assigned"
    listed = Api(client, leader).get(f"{P}/instructions").json()
    assert listed[0]["source"] == "李市长同志2021年3月2日批示"
    from tuijin.tasks.models import Task

    assert Task.objects.get().source_kind == SourceKind.INSTRUCTION


def test_it_gives_the_roster_with_masked_phones(client, sup, bob, auditor, unit_a):
    import datetime

    from tuijin.coordination import services

    services.appoint_liaison(actor=sup, unit=unit_a, role="officer", name="王晓明", phone="13812345678",
                             start_date=datetime.date(2021, 1, 4))  # fmt: skip
    rows = Api(client, bob).get(f"{P}/liaisons").json()
    assert rows[0]["phone"] == "138****5678" and rows[0]["name"] == "王晓明"
    assert Api(client, auditor).get(f"{P}/liaisons").status_code == 403


def test_it_adds_tasks_to_an_instruction_and_shows_them(client, sup, leader, bob, unit_a, unit_b):
    body = {
        "leader": str(leader.code),
        "date": "2021-03-02",
        "subject": "关于人才公寓的批示",
        "text": "年底前交付。",
    }
    created = Api(client, sup).post(f"{P}/instructions", body).json()
    assert created["tasks"] == []
    path = f"{P}/instructions/{created['id']}"
    added = Api(client, leader).post(
        path + "/tasks", {"title": "落实首批房源", "lead_unit": str(unit_b.code)}
    )
    assert added.status_code == 201 and added.json()["tasks"][0]["state"] == "assigned"
    assert Api(client, leader).get(path).json()["subject"] == "关于人才公寓的批示"
    assert Api(client, bob).get(path).status_code == 403
