"""The demo: the Zhongyuan S&T City joint meeting with an issued and an upcoming meeting, the roster with history,
and leader instructions whose tasks are under way."""

import pytest
from django.test import override_settings

from tuijin.coordination.models import Instruction, JointMeeting, LiaisonTerm
from tuijin.core import demo
from tuijin.org.models import Liaison
from tuijin.tasks.models import SourceKind, TaskState


@pytest.mark.django_db
def test_it_loads_the_joint_meeting_roster_and_instructions():
    with override_settings(DEMO_MODE=True):
        demo.load_demo()
    jm = JointMeeting.objects.get(name="中原科技城建设联席会议")
    issued, upcoming = jm.meetings.order_by("starts_at")
    assert issued.is_locked and issued.minutes_ref.startswith("纪要〔")
    states = {d.task.state for d in issued.decisions.select_related("task")}
    assert {
        TaskState.ASSIGNED,
        TaskState.IN_PROGRESS,
        TaskState.CLOSURE_REQUESTED,
        TaskState.CLOSED,
    } <= states
    assert all(d.task.source_kind == SourceKind.MEETING and d.task.source_ref == issued.minutes_ref
               for d in issued.decisions.select_related("task"))  # fmt: skip
    assert not upcoming.is_locked and upcoming.agenda_items.count() == 3
    assert Instruction.objects.count() == 2 and all(i.tasks.count() == 1 for i in Instruction.objects.all())
    kjc_terms = LiaisonTerm.objects.filter(unit=jm.convener, role=LiaisonTerm.Role.OFFICER).order_by(
        "start_date"
    )
    assert [t.end_date is not None for t in kjc_terms] == [True, False]
    assert Liaison.objects.get(unit=jm.convener).name == kjc_terms.last().name
    assert LiaisonTerm.objects.filter(role=LiaisonTerm.Role.DEPUTY).count() == 6
