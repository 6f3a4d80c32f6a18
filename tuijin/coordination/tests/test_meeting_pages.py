"""Setting up a standing joint meeting and its sittings through the pages, with validation that says what is
wrong and changes nothing."""

import pytest
from django.urls import reverse

from tuijin.coordination.models import JointMeeting, Meeting
from tuijin.core.models import AuditEvent

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_lets_the_office_set_up_a_joint_meeting(client, sup, unit_a, unit_b, unit_c):
    response = login(client, sup).post(reverse("coordination_joint_meeting_create"), {
        "name": "中原科技城建设联席会议", "convener": unit_a.pk, "members": [unit_a.pk, unit_b.pk, unit_c.pk],
        "minutes_prefix": "纪要", "issuing_organ": "", "description": "", "is_active": "on",
    })  # fmt: skip
    jm = JointMeeting.objects.get()
    assert response.status_code == 302 and set(jm.members.all()) == {
        unit_b,
        unit_c,
    }  # the convener is not a member
    assert AuditEvent.objects.filter(action="coordination.joint_meeting.create").exists()


def test_it_lets_the_convener_schedule_and_edit_a_meeting(client, alice, jm):
    client = login(client, alice)
    data = {"title": "第一次全体会议", "starts_at": "2021-03-15T15:00", "place": "三楼会议室", "chair": "",
            "agenda_cutoff": "2021-03-12", "pre_meeting_at": "2021-03-13T09:00", "pre_meeting_place": ""}  # fmt: skip
    response = client.post(reverse("coordination_meeting_create", args=[jm.code]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.joint_meeting == jm
    client.post(reverse("coordination_meeting_edit", args=[meeting.code]), data | {"place": "五楼会议室"})
    meeting.refresh_from_db()
    assert meeting.place == "五楼会议室"


def test_it_explains_a_cut_off_after_the_meeting_and_saves_nothing(client, alice, jm):
    data = {"title": "第一次全体会议", "starts_at": "2021-03-15T15:00", "place": "三楼会议室",
            "agenda_cutoff": "2021-03-16", "pre_meeting_at": "2021-03-16T09:00"}  # fmt: skip
    response = login(client, alice).post(reverse("coordination_meeting_create", args=[jm.code]), data)
    page = response.content.decode()
    assert response.status_code == 400 and not Meeting.objects.exists()
    assert 'data-field="agenda_cutoff"' in page and 'data-field="pre_meeting_at"' in page


def test_it_refuses_a_decision_whose_lead_also_supports(client, alice, meeting, unit_a):
    response = login(client, alice).post(reverse("coordination_decision_add", args=[meeting.code]), {
        "text": "议定事项", "lead_unit": unit_a.code, "supporting_units": [unit_a.code]})  # fmt: skip
    assert response.status_code == 400 and not meeting.decisions.exists()


def test_it_removes_a_decision_and_renumbers_the_rest(client, sup, alice, meeting, decision, unit_b):
    from tuijin.coordination import services

    second = services.add_decision(actor=sup, meeting=meeting, text="第二项", lead_unit=unit_b)
    response = login(client, alice).post(reverse("coordination_decision_delete", args=[decision.code]))
    second.refresh_from_db()
    assert response.status_code == 302 and list(meeting.decisions.all()) == [second] and second.position == 1
    assert AuditEvent.objects.filter(action="coordination.decision.remove").exists()
