"""Issued minutes lock the meeting; minute numbers run per joint meeting and year without gaps."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tuijin.coordination import services
from tuijin.coordination.models import Meeting

from .conftest import SHANGHAI, login

pytestmark = pytest.mark.django_db


def _meeting(sup, jm, day: datetime.date, title: str) -> Meeting:
    return services.save_meeting(actor=sup, joint_meeting=jm, title=title,
                                 starts_at=datetime.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI),
                                 place="会议室", agenda_cutoff=day)  # fmt: skip


def _issue(sup, m, unit):
    services.add_decision(actor=sup, meeting=m, text="议定事项", lead_unit=unit)
    return services.issue_minutes(actor=sup, meeting=m)


def test_it_locks_the_meeting_once_the_minutes_are_issued(client, sup, alice, bob, issued, unit_a):
    with pytest.raises(services.CoordinationError):
        services.add_decision(actor=sup, meeting=issued, text="再加一条", lead_unit=unit_a)
    with pytest.raises(services.CoordinationError):
        services.save_meeting(actor=sup, joint_meeting=issued.joint_meeting, meeting=issued, place="别处")
    with pytest.raises(services.CoordinationError):
        services.issue_minutes(actor=sup, meeting=issued)
    with pytest.raises(services.CoordinationError):
        services.sign_in(actor=bob, meeting=issued)
    for name in ("coordination_meeting_edit", "coordination_decision_add", "coordination_minutes_issue",
                 "coordination_agenda_settle", "coordination_decision_import"):  # fmt: skip
        assert login(client, alice).get(reverse(name, args=[issued.code])).status_code == 403, name
    response = client.post(reverse("coordination_decision_delete", args=[issued.decisions.get().code]))
    assert response.status_code == 403 and issued.decisions.count() == 1


def test_it_numbers_minutes_per_year_without_gaps(sup, jm, unit_a):
    first = _issue(sup, _meeting(sup, jm, datetime.date(2021, 3, 15), "一"), unit_a)
    second = _issue(sup, _meeting(sup, jm, datetime.date(2021, 5, 15), "二"), unit_a)
    _meeting(sup, jm, datetime.date(2021, 6, 15), "未印发")  # not issued: takes no number
    third = _issue(sup, _meeting(sup, jm, datetime.date(2021, 7, 15), "三"), unit_a)
    next_year = _issue(sup, _meeting(sup, jm, datetime.date(2022, 1, 15), "次年"), unit_a)
    assert [m.minutes_ref for m in (first, second, third, next_year)] == [
        "纪要〔2021〕1号",
        "纪要〔2021〕2号",
        "纪要〔2021〕3号",
        "纪要〔2022〕1号",
    ]


def test_it_never_gives_two_minutes_the_same_number(sup, jm, unit_a):
    first = _issue(sup, _meeting(sup, jm, datetime.date(2021, 3, 15), "一"), unit_a)
    other = _meeting(sup, jm, datetime.date(2021, 4, 15), "二")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=other.pk).update(minutes_year=2021, minutes_number=first.minutes_number)


def test_it_numbers_each_joint_meeting_on_its_own(sup, jm, unit_a, unit_b):
    other = services.save_joint_meeting(actor=sup, name="白沙科学谷联席会议", convener=unit_b, members=[unit_a],
                                        minutes_prefix="白沙纪要")  # fmt: skip
    _issue(sup, _meeting(sup, jm, datetime.date(2021, 3, 15), "一"), unit_a)
    theirs = _issue(sup, _meeting(sup, other, datetime.date(2021, 3, 16), "一"), unit_a)
    assert theirs.minutes_ref == "白沙纪要〔2021〕1号"
