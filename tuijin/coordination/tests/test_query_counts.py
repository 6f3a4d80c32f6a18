"""List pages run a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.coordination import services
from tuijin.org.models import Role, Unit, UnitKind

from .conftest import SHANGHAI, login

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(sup, jm, meeting, leader, n: int, offset: int) -> None:
    """n more units with officer and deputy, decisions, agenda items, attendance, meetings and instructions."""
    for i in range(offset, offset + n):
        unit = Unit.objects.create(name=f"测试单位{i}", kind=UnitKind.DEPARTMENT)
        jm.members.add(unit)
        for role, phone in (("officer", f"1381234{i:04d}"), ("deputy", f"1391234{i:04d}")):
            services.appoint_liaison(actor=sup, unit=unit, role=role, name=f"联络员{i}", phone=phone,
                                     start_date=datetime.date(2021, 1, 4))  # fmt: skip
        person = make_user(f"member{i}", Role.UNIT, unit)
        services.sign_in(actor=person, meeting=meeting)
        services.propose_agenda_item(actor=sup, meeting=meeting, unit=unit, title=f"议题{i}")
        services.add_decision(actor=sup, meeting=meeting, text=f"议定事项{i}", lead_unit=unit,
                              supporting_units=[jm.convener], limit_text="年底前")  # fmt: skip
        services.save_meeting(actor=sup, joint_meeting=jm, title=f"专题会议{i}", place="会议室",
                              starts_at=datetime.datetime(2021, 2, 1 + i, 9, tzinfo=SHANGHAI),
                              agenda_cutoff=datetime.date(2021, 2, 1 + i))  # fmt: skip
        services.record_instruction(actor=sup, leader=leader, date=datetime.date(2021, 3, 1), subject=f"批示{i}",
                                    text="……", lead_unit=unit, supporting_units=[jm.convener])  # fmt: skip


@pytest.mark.parametrize("page", ["directory", "joint_meetings", "joint_meeting", "meeting", "next_meeting",
                                  "instructions"])  # fmt: skip
def test_it_keeps_list_pages_to_a_fixed_number_of_queries(
    client, sup, leader, jm, meeting, next_meeting, page
):
    urls = {
        "directory": reverse("coordination_liaison_directory"),
        "joint_meetings": reverse("coordination_joint_meeting_list"),
        "joint_meeting": reverse("coordination_joint_meeting_detail", args=[jm.code]),
        "meeting": reverse("coordination_meeting_detail", args=[meeting.code]),
        "next_meeting": reverse("coordination_meeting_detail", args=[next_meeting.code]),
        "instructions": reverse("coordination_instruction_list"),
    }
    client = login(client, sup)
    target = next_meeting if page == "next_meeting" else meeting
    if page == "next_meeting":
        grow(sup, jm, meeting, leader, 2, 20)
        services.issue_minutes(actor=sup, meeting=meeting)
    grow(sup, jm, target, leader, 2, 1)
    few = count(client, urls[page])
    grow(sup, jm, target, leader, 3, 10)
    if page == "next_meeting":  # more issued decisions of earlier meetings
        grow_issued = services.save_meeting(actor=sup, joint_meeting=jm, title="补充会议", place="会议室",
                                            starts_at=datetime.datetime(2021, 3, 20, 9, tzinfo=SHANGHAI),
                                            agenda_cutoff=datetime.date(2021, 3, 19))  # fmt: skip
        for i in range(3):
            services.add_decision(actor=sup, meeting=grow_issued, text=f"补充{i}", lead_unit=jm.convener)
        services.issue_minutes(actor=sup, meeting=grow_issued)
    assert count(client, urls[page]) == few
