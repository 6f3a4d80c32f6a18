"""The cast of the coordination tests, on top of the suite's: the joint meeting of the Zhongyuan S&T City convened
by alice's unit (unit_a) with bob's unit (unit_b) as a member; charlie's unit (unit_c) is outside it. The clock
stands at 10 March 2021, 10:00 in Zhengzhou; the first meeting is on 15 March, agenda items due by 12 March.
"""

import datetime
import zoneinfo

import pytest
from django.test import Client

from tuijin.conftest import PASSWORD
from tuijin.coordination import services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2021, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def jm(sup, unit_a, unit_b):
    return services.save_joint_meeting(actor=sup, name="中原科技城建设联席会议", convener=unit_a, members=[unit_b],
                                       issuing_organ="中原科技城建设联席会议办公室")  # fmt: skip


@pytest.fixture
def meeting(sup, jm):
    return services.save_meeting(
        actor=sup, joint_meeting=jm, title="第一次全体会议", starts_at=datetime.datetime(2021, 3, 15, 15, tzinfo=SHANGHAI),
        place="中原科技城管委会三楼会议室", chair="刘振华副市长", agenda_cutoff=datetime.date(2021, 3, 12),
        pre_meeting_at=datetime.datetime(2021, 3, 13, 9, tzinfo=SHANGHAI), pre_meeting_place="二楼小会议室",
    )  # fmt: skip


@pytest.fixture
def next_meeting(sup, jm):
    return services.save_meeting(
        actor=sup, joint_meeting=jm, title="第二次全体会议", starts_at=datetime.datetime(2021, 4, 20, 9, tzinfo=SHANGHAI),
        place="中原科技城管委会三楼会议室", agenda_cutoff=datetime.date(2021, 4, 14),
    )  # fmt: skip


@pytest.fixture
def decision(sup, meeting, unit_a, unit_b):
    return services.add_decision(actor=sup, meeting=meeting, text="加快创新孵化基地一期建设，确保主体结构按期封顶。",
                                 lead_unit=unit_a, supporting_units=[unit_b], limit_text="6月底前")  # fmt: skip


@pytest.fixture
def issued(sup, meeting, decision):
    return services.issue_minutes(actor=sup, meeting=meeting, summary="会议听取了重点项目推进情况汇报。")


__all__ = ["PASSWORD", "login"]
