"""Access-control matrix entries for the coordination app: URL kwargs for each route and who may use it.

Merged into tests/access_routes.py (KWARGS) and tests/test_access_matrix.py (MATRIX).

In the demo the joint meeting is convened by the lead persona's unit (中原科技城管委会) and the support persona's
unit (市科技局) is a member; the outsider's and the community's units are not. The first meeting's minutes are
issued (locked); the second is coming up."""

from __future__ import annotations

READERS = {"supervisor", "leader"}
STAFF = READERS | {"lead", "support", "outsider", "community"}
MEMBERS = READERS | {"lead", "support"}  # the office, leaders, the convener's and a member unit's users
ORGANISERS = {"supervisor", "lead"}  # the office and the convener unit
SUP = {"supervisor"}


def _jm(w):
    from tuijin.coordination.models import JointMeeting

    return JointMeeting.objects.order_by("pk").first()


def _issued(w):
    return _jm(w).meetings.filter(minutes_issued_at__isnull=False).order_by("starts_at").first()


def _upcoming(w):
    return _jm(w).meetings.filter(minutes_issued_at__isnull=True).order_by("starts_at").first()


def _term(w):
    from tuijin.coordination.models import LiaisonTerm

    return LiaisonTerm.objects.filter(end_date__isnull=True).order_by("pk").first()


def _instruction(w):
    from tuijin.coordination.models import Instruction

    return Instruction.objects.filter(leader=w.users["leader"]).order_by("pk").first()


KWARGS: dict = {  # route name → function(world) → URL kwargs
    "coordination_liaison_history": lambda w: {"code": w.objects["unit"].code},
    "coordination_liaison_end": lambda w: {"code": _term(w).code},
    "coordination_joint_meeting_detail": lambda w: {"code": _jm(w).code},
    "coordination_joint_meeting_edit": lambda w: {"code": _jm(w).code},
    "coordination_decisions_xlsx": lambda w: {"code": _jm(w).code},
    "coordination_meeting_create": lambda w: {"jm_code": _jm(w).code},
    "coordination_meeting_detail": lambda w: {"code": _issued(w).code},
    "coordination_minutes_docx": lambda w: {"code": _issued(w).code},
    "coordination_decision_delete": lambda w: {"code": _issued(w).decisions.order_by("pk").first().code},
    **{
        name: (lambda w: {"code": _upcoming(w).code})
        for name in (
            "coordination_meeting_edit",
            "coordination_agenda_propose",
            "coordination_agenda_settle",
            "coordination_sign_in_screen",
            "coordination_sign_in_qr",
            "coordination_attendance_record",
            "coordination_decision_add",
            "coordination_decision_import",
            "coordination_minutes_issue",
        )  # fmt: skip
    },
    "coordination_sign_in": lambda w: {"token": _upcoming(w).sign_in_token},
    "coordination_instruction_detail": lambda w: {"code": _instruction(w).code},
    "coordination_instruction_task_add": lambda w: {"code": _instruction(w).code},
}

MATRIX: dict = {  # route name → set of personas (see access_world.PERSONAS), or "public"
    # the roster is read by all staff (phones masked); the supervision office keeps it
    "coordination_liaison_directory": STAFF,
    "coordination_liaison_history": STAFF,
    "coordination_liaison_appoint": SUP,
    "coordination_liaison_end": SUP,
    # joint meetings: read by the office, leaders and the member units; organised by the office and the convener
    "coordination_joint_meeting_list": STAFF,  # filtered: empty for units outside every joint meeting
    "coordination_joint_meeting_create": SUP,
    "coordination_joint_meeting_edit": SUP,
    "coordination_joint_meeting_detail": MEMBERS,
    "coordination_decisions_xlsx": MEMBERS,
    "coordination_meeting_detail": MEMBERS,
    "coordination_minutes_docx": MEMBERS,  # issued minutes
    "coordination_sign_in": MEMBERS,
    "coordination_agenda_propose": ORGANISERS | {"support"},  # member units propose; leaders do not
    "coordination_meeting_create": ORGANISERS,
    "coordination_meeting_edit": ORGANISERS,
    "coordination_agenda_settle": ORGANISERS,
    "coordination_sign_in_screen": ORGANISERS,
    "coordination_sign_in_qr": ORGANISERS,
    "coordination_attendance_record": ORGANISERS,  # POST
    "coordination_decision_add": ORGANISERS,
    "coordination_decision_import": ORGANISERS,
    "coordination_minutes_issue": ORGANISERS,
    "coordination_decision_delete": ORGANISERS,  # POST; the sample's meeting is locked, so even they get 403
    # leader instructions: the office and the leader who gave them
    "coordination_instruction_list": READERS,
    "coordination_instruction_create": READERS,
    "coordination_instruction_detail": READERS,
    "coordination_instruction_task_add": READERS,
}
