"""Leader instructions: recorded with the leader, date and text, turned into tasks whose source is the
instruction; the leader sees what became of each."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.coordination import services
from tuijin.coordination.models import Instruction
from tuijin.org.models import Role
from tuijin.tasks import services as task_services
from tuijin.tasks.models import SourceKind

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def instruction(leader, unit_a, unit_b):
    return services.record_instruction(
        actor=leader, leader=leader, date=datetime.date(2021, 3, 2), subject="关于加快人才公寓建设的批示",
        text="请倒排工期，年底前首批房源交付使用。", lead_unit=unit_a, supporting_units=[unit_b], limit_text="年底前",
    )  # fmt: skip


def test_it_turns_an_instruction_into_a_task_in_one_step(instruction, unit_a):
    task = instruction.tasks.get()
    assert task.source_kind == SourceKind.INSTRUCTION and task.source_ref == "李市长同志2021年3月2日批示"
    assert task.lead_units == [unit_a] and str(task.deadline) == "2021-12-31" and task.leader == "李市长"


def test_it_shows_the_leader_what_became_of_each(client, leader, alice, instruction):
    task = instruction.tasks.get()
    task_services.acknowledge(actor=alice, task=task)
    page = login(client, leader).get(reverse("coordination_instruction_list")).content.decode()
    assert "关于加快人才公寓建设的批示" in page and "办理中" in page and "中原科技城管委会" in page
    detail = client.get(reverse("coordination_instruction_detail", args=[instruction.code])).content.decode()
    assert reverse("task_detail", args=[task.code]) in detail


def test_it_keeps_each_leaders_instructions_to_themselves(client, instruction):
    other = make_user("leader2", Role.LEADER, None, "王副市长")
    client = login(client, other)
    assert (
        "关于加快人才公寓建设的批示"
        not in client.get(reverse("coordination_instruction_list")).content.decode()
    )
    assert client.get(reverse("coordination_instruction_detail", args=[instruction.code])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.instruction_task(
            actor=other,
            instruction=instruction,
            title="越权",
            lead_unit=instruction.tasks.get().lead_units[0],
        )


def test_it_lets_the_office_record_for_a_leader_and_add_tasks(client, sup, leader, unit_b):
    response = login(client, sup).post(reverse("coordination_instruction_create"), {
        "leader": leader.code, "date": "2021-03-05", "subject": "关于头部企业招商的批示", "text": "盯牢头部企业。",
    })  # fmt: skip
    instruction = Instruction.objects.get()
    assert response.status_code == 302 and instruction.recorded_by == sup and not instruction.tasks.exists()
    client.post(reverse("coordination_instruction_task_add", args=[instruction.code]),
                {"title": "建立头部企业目标库", "lead_unit": unit_b.code, "limit_text": "6月底前"})  # fmt: skip
    assert instruction.tasks.get().title == "建立头部企业目标库"


def test_it_lets_a_leader_record_only_their_own(leader, unit_a):
    other = make_user("leader2", Role.LEADER, None, "王副市长")
    with pytest.raises(PermissionDenied):
        services.record_instruction(actor=leader, leader=other, date=datetime.date(2021, 3, 2), subject="代批",
                                    text="……")  # fmt: skip


def test_it_refuses_units_and_the_three_administrators(client, alice, auditor, instruction):
    for user in (alice, auditor):
        assert login(client, user).get(reverse("coordination_instruction_list")).status_code == 403
