"""A decision in the minutes becomes a task in one step; the task shows its minute; the meeting shows the task's
status; the next meeting lists it."""

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan, SourceKind, TaskState, TaskUnit

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_turns_each_decision_into_a_task_when_the_minutes_are_issued(issued, unit_a, unit_b):
    decision = issued.decisions.get()
    task = decision.task
    assert issued.minutes_ref == "纪要〔2021〕1号"
    assert task.title == decision.text and task.limit_text == "6月底前" and str(task.deadline) == "2021-06-30"
    assert task.units_with_role(TaskUnit.LEAD) == [unit_a] and task.units_with_role(TaskUnit.SUPPORT) == [
        unit_b
    ]
    assert (task.source_kind, task.source_ref) == (SourceKind.MEETING, "纪要〔2021〕1号")
    assert task.plan.kind == Plan.Kind.DECISIONS and task.plan.year == 2021 and task.number == "1-1"
    assert AuditEvent.objects.filter(action="coordination.minutes.issue").count() == 1
    assert AuditEvent.objects.filter(action="task.create", object_id=str(task.pk)).exists()


def test_it_shows_the_minute_on_the_task_page(client, alice, issued):
    task = issued.decisions.get().task
    response = login(client, alice).get(reverse("task_detail", args=[task.code]))
    assert response.status_code == 200 and "纪要〔2021〕1号" in response.content.decode()


def test_it_shows_the_task_state_on_the_meeting_page(client, alice, bob, issued):
    task = issued.decisions.get().task
    task_services.acknowledge(actor=alice, task=task)
    page = login(client, bob).get(reverse("coordination_meeting_detail", args=[issued.code])).content.decode()
    assert "办理中" in page and reverse("task_detail", args=[task.code]) in page


def test_it_lists_earlier_decisions_with_their_state_at_the_next_meeting(client, sup, issued, next_meeting):
    page = (
        login(client, sup)
        .get(reverse("coordination_meeting_detail", args=[next_meeting.code]))
        .content.decode()
    )
    assert (
        'data-testid="earlier"' in page and "加快创新孵化基地一期建设" in page and "纪要〔2021〕1号" in page
    )
    assert "待签收" in page


def test_it_does_not_issue_minutes_without_decisions(sup, meeting):
    from tuijin.coordination.services import CoordinationError, issue_minutes

    with pytest.raises(CoordinationError):
        issue_minutes(actor=sup, meeting=meeting)
    meeting.refresh_from_db()
    assert not meeting.is_locked and meeting.minutes_number is None


def test_it_issues_through_the_page_in_one_step(client, alice, meeting, decision):
    response = login(client, alice).post(reverse("coordination_minutes_issue", args=[meeting.code]),
                                         {"summary": "会议纪要正文", "confirm": "on"})  # fmt: skip
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.task.state == TaskState.ASSIGNED and decision.task.source_ref == "纪要〔2021〕1号"


def test_it_counts_open_and_overdue_decisions_on_the_list(client, leader, issued, time_machine):
    import datetime

    from tuijin.tasks.services import refresh_all_statuses

    time_machine.move_to(datetime.datetime(2021, 7, 5, 10, tzinfo=datetime.UTC), tick=False)
    refresh_all_statuses()
    page = login(client, leader).get(reverse("coordination_joint_meeting_list")).content.decode()
    assert 'data-testid="open-decisions">1 <span class="badge status-overdue">' in page
