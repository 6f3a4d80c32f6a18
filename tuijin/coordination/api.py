"""Coordination endpoints of the JSON API (mounted under /coordination/): the liaison roster, joint meetings, their
sittings with agenda and decisions (each with its task's state), proposing an agenda item, recording a decision,
issuing minutes, and leader instructions.

The same rules as the pages (tuijin/coordination/access.py): the 三员 and other roles without business here get
403; a meeting the caller may not see answers 404; phones are masked; every write goes through the services and
is audited.
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from tuijin.lib.masking import mask_phone
from tuijin.org.models import Role, Unit, User
from tuijin.tasks.schemas import Message

from . import access, services
from .models import AgendaItem, Decision, Instruction, LiaisonTerm, Meeting

router = Router(tags=["coordination"])


class TermOut(Schema):
    id: UUID
    unit: str
    role: str = Field(description="`officer` or `deputy`.")
    name: str
    position: str
    phone: str = Field(description="Masked (138****5678).")
    start_date: datetime.date
    end_date: datetime.date | None


class JointMeetingOut(Schema):
    id: UUID
    name: str
    convener: str
    members: list[str]
    is_active: bool


class TaskProgressOut(Schema):
    id: UUID
    number: str
    state: str
    status: str
    deadline: datetime.date | None
    progress: int


class DecisionOut(Schema):
    id: UUID
    meeting: UUID
    minutes: str = Field(description="纪要〔2021〕3号 once the minutes are issued, else empty.")
    number: int
    text: str
    lead_unit: str
    supporting_units: list[str]
    limit_text: str
    task: TaskProgressOut | None = Field(
        description="The task the decision became; null before the minutes are issued."
    )


class AgendaOut(Schema):
    id: UUID
    unit: str
    title: str
    details: str
    state: str


class MeetingOut(Schema):
    id: UUID
    joint_meeting: UUID
    title: str
    starts_at: datetime.datetime
    place: str
    agenda_cutoff: datetime.date
    minutes: str
    locked: bool


class MeetingDetail(MeetingOut):
    agenda: list[AgendaOut]
    decisions: list[DecisionOut]
    earlier_decisions: list[DecisionOut] = Field(
        description="Decisions of earlier meetings of the same series."
    )
    attendance: int


class AgendaIn(Schema):
    unit: UUID = Field(description="The proposing unit (one of the caller's member units).")
    title: str = Field(min_length=1, max_length=300)
    details: str = Field("", max_length=5000)


class DecisionIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    lead_unit: UUID
    supporting_units: list[UUID] = Field(default_factory=list, max_length=50)
    limit_text: str = Field("", max_length=300)


class MinutesIn(Schema):
    summary: str | None = Field(None, max_length=20000)


class InstructionIn(Schema):
    leader: UUID | None = Field(
        None, description="The leader; defaults to the caller when the caller is a leader."
    )
    date: datetime.date
    subject: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000)
    lead_unit: UUID | None = Field(None, description="Given a lead unit, the instruction becomes a task.")
    supporting_units: list[UUID] = Field(default_factory=list, max_length=50)
    limit_text: str = Field("", max_length=300)


class InstructionOut(Schema):
    id: UUID
    leader: str
    date: datetime.date
    subject: str
    text: str
    source: str
    tasks: list[TaskProgressOut]


def _use(request) -> None:
    if not access.may_use(request.auth):
        raise HttpError(403, _("You have no access to coordination."))


def _task(t) -> dict | None:
    if t is None:
        return None
    return {"id": t.code, "number": t.number, "state": t.state, "status": t.status, "deadline": t.deadline,
            "progress": t.progress}  # fmt: skip


def _decision(d: Decision) -> dict:
    return {"id": d.code, "meeting": d.meeting.code, "minutes": d.meeting.minutes_ref, "number": d.position,
            "text": d.text, "lead_unit": d.lead_unit.name,
            "supporting_units": [u.name for u in d.supporting_units.all()], "limit_text": d.limit_text,
            "task": _task(d.task)}  # fmt: skip


def _decisions(qs):
    return qs.select_related("meeting__joint_meeting", "lead_unit", "task").prefetch_related(
        "supporting_units"
    )


def _meeting(m: Meeting) -> dict:
    return {"id": m.code, "joint_meeting": m.joint_meeting.code, "title": m.title, "starts_at": m.starts_at,
            "place": m.place, "agenda_cutoff": m.agenda_cutoff, "minutes": m.minutes_ref, "locked": m.is_locked}  # fmt: skip


def _get_meeting(request, code: UUID) -> Meeting:
    _use(request)
    meeting = (
        access.visible_meetings(request.auth)
        .select_related("joint_meeting__convener")
        .filter(code=code)
        .first()
    )
    if meeting is None:
        raise HttpError(404, _("No such meeting."))
    return meeting


def _units(codes) -> list[Unit]:
    codes = list(dict.fromkeys(codes))
    found = list(Unit.objects.filter(code__in=codes))
    if len(found) != len(codes):
        raise HttpError(422, _("Unknown unit."))
    return found


@router.get(
    "/liaisons", response={200: list[TermOut], 403: Message}, summary="Liaison roster (current terms)"
)
def liaisons(request, history: bool = False):
    """The current liaison officers and deputies of every unit; `history=true` adds the ended terms."""
    _use(request)
    terms = LiaisonTerm.objects.select_related("unit").order_by(
        "unit__sort_order", "unit__name", "role", "-start_date"
    )
    if not history:
        terms = terms.current()
    return [{"id": t.code, "unit": t.unit.name, "role": t.role, "name": t.name, "position": t.position,
             "phone": mask_phone(t.phone), "start_date": t.start_date, "end_date": t.end_date} for t in terms]  # fmt: skip


@router.get("/joint-meetings", response={200: list[JointMeetingOut], 403: Message}, summary="Joint meetings")
def joint_meetings(request):
    _use(request)
    rows = access.visible_joint_meetings(request.auth).select_related("convener").prefetch_related("members")
    return [{"id": jm.code, "name": jm.name, "convener": jm.convener.name,
             "members": sorted(u.name for u in jm.members.all()), "is_active": jm.is_active} for jm in rows]  # fmt: skip


@router.get("/meetings", response={200: list[MeetingOut], 403: Message}, summary="Meetings")
def meetings(request, joint_meeting: UUID | None = None):
    _use(request)
    rows = access.visible_meetings(request.auth).select_related("joint_meeting")
    if joint_meeting:
        rows = rows.filter(joint_meeting__code=joint_meeting)
    return [_meeting(m) for m in rows.order_by("-starts_at")]


@router.get("/meetings/{code}", response={200: MeetingDetail, 403: Message, 404: Message}, summary="Meeting")
def meeting(request, code: UUID):
    """A meeting with its agenda, its decisions and the state of each decision's task, and the decisions of the
    earlier meetings of the same series."""
    m = _get_meeting(request, code)
    earlier = Decision.objects.filter(meeting__joint_meeting=m.joint_meeting, meeting__starts_at__lt=m.starts_at,
                                      meeting__minutes_issued_at__isnull=False)  # fmt: skip
    return _meeting(m) | {
        "agenda": [{"id": a.code, "unit": a.unit.name, "title": a.title, "details": a.details, "state": a.state}
                   for a in m.agenda_items.select_related("unit")],
        "decisions": [_decision(d) for d in _decisions(m.decisions.all())],
        "earlier_decisions": [_decision(d) for d in _decisions(earlier).order_by("meeting__starts_at", "position")],
        "attendance": m.attendance.count(),
    }  # fmt: skip


@router.get("/decisions", response={200: list[DecisionOut], 403: Message}, summary="Decisions")
def decisions(request, joint_meeting: UUID | None = None, open: bool | None = None):
    """Decisions of issued minutes of the meetings the caller may see; `open=true` keeps those whose task is not
    closed."""
    _use(request)
    rows = Decision.objects.filter(meeting__in=access.visible_meetings(request.auth),
                                   meeting__minutes_issued_at__isnull=False)  # fmt: skip
    if joint_meeting:
        rows = rows.filter(meeting__joint_meeting__code=joint_meeting)
    if open is True:
        rows = rows.exclude(task__state="closed")
    elif open is False:
        rows = rows.filter(task__state="closed")
    return [_decision(d) for d in _decisions(rows).order_by("meeting__starts_at", "position")]


@router.post("/meetings/{code}/agenda", response={201: AgendaOut, 403: Message, 404: Message, 409: Message,
             422: Message}, summary="Propose an agenda item")  # fmt: skip
def propose(request, code: UUID, body: AgendaIn):
    """A member unit proposes a matter before the cut-off (409 after it, or once the agenda is settled)."""
    m = _get_meeting(request, code)
    unit = _units([body.unit])[0]
    try:
        item: AgendaItem = services.propose_agenda_item(actor=request.auth, meeting=m, unit=unit, title=body.title,
                                                        details=body.details)  # fmt: skip
    except PermissionDenied:
        raise HttpError(403, _("You cannot propose items for %(unit)s.") % {"unit": unit.name}) from None
    except services.CoordinationError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"id": item.code, "unit": unit.name, "title": item.title, "details": item.details,
                        "state": item.state})  # fmt: skip


@router.post("/meetings/{code}/decisions", response={201: DecisionOut, 403: Message, 404: Message, 409: Message,
             422: Message}, summary="Record a decision")  # fmt: skip
def add_decision(request, code: UUID, body: DecisionIn):
    m = _get_meeting(request, code)
    if not access.may_organise(request.auth, m.joint_meeting):
        raise HttpError(403, _("Only the organisers record decisions."))
    lead = _units([body.lead_unit])[0]
    supporting = _units(body.supporting_units) if body.supporting_units else []
    try:
        d = services.add_decision(actor=request.auth, meeting=m, text=body.text, lead_unit=lead,
                                  supporting_units=supporting, limit_text=body.limit_text)  # fmt: skip
    except services.CoordinationError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _decision(_decisions(Decision.objects.filter(pk=d.pk)).get()))


@router.post("/meetings/{code}/minutes", response={200: MeetingDetail, 403: Message, 404: Message, 409: Message},
             summary="Issue the minutes")  # fmt: skip
def issue(request, code: UUID, body: MinutesIn):
    """Number the minutes, turn every decision into a task and lock the meeting (409 if locked or empty)."""
    m = _get_meeting(request, code)
    if not access.may_organise(request.auth, m.joint_meeting):
        raise HttpError(403, _("Only the organisers issue the minutes."))
    try:
        services.issue_minutes(actor=request.auth, meeting=m, summary=body.summary)
    except services.CoordinationError as exc:
        return Status(409, {"detail": str(exc)})
    return meeting(request, code)


def _instruction(i: Instruction) -> dict:
    return {"id": i.code, "leader": str(i.leader), "date": i.date, "subject": i.subject, "text": i.text,
            "source": i.source_ref, "tasks": [_task(t) for t in i.tasks.all()]}  # fmt: skip


@router.get(
    "/instructions", response={200: list[InstructionOut], 403: Message}, summary="Leader instructions"
)
def instructions(request):
    """All instructions for the supervision office; a leader's own for a leader — each with its tasks' states."""
    if not access.may_give_instructions(request.auth):
        raise HttpError(403, _("Only the supervision office and leaders see instructions."))
    rows = access.visible_instructions(request.auth).select_related("leader").prefetch_related("tasks")
    return [_instruction(i) for i in rows]


@router.post("/instructions", response={201: InstructionOut, 403: Message, 409: Message, 422: Message},
             summary="Record an instruction")  # fmt: skip
def create_instruction(request, body: InstructionIn):
    user = request.auth
    if not access.may_give_instructions(user):
        raise HttpError(403, _("Only the supervision office and leaders record instructions."))
    if body.leader:
        leader = User.objects.filter(code=body.leader).filter(Q(memberships__role=Role.LEADER)).first()
        if leader is None:
            raise HttpError(422, _("Unknown leader."))
    elif user.has_role(Role.LEADER):
        leader = user
    else:
        raise HttpError(422, _("Name the leader."))
    lead = _units([body.lead_unit])[0] if body.lead_unit else None
    supporting = _units(body.supporting_units) if body.supporting_units else []
    try:
        i = services.record_instruction(actor=user, leader=leader, date=body.date, subject=body.subject,
                                        text=body.text, lead_unit=lead, supporting_units=supporting,
                                        limit_text=body.limit_text)  # fmt: skip
    except PermissionDenied:
        raise HttpError(403, _("A leader records only their own instructions.")) from None
    except services.CoordinationError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _instruction(Instruction.objects.prefetch_related("tasks").get(pk=i.pk)))


class InstructionTaskIn(Schema):
    title: str = Field(min_length=1, max_length=500)
    lead_unit: UUID
    supporting_units: list[UUID] = Field(default_factory=list, max_length=50)
    limit_text: str = Field("", max_length=300)


def _get_instruction(request, code: UUID) -> Instruction:
    if not access.may_give_instructions(request.auth):
        raise HttpError(403, _("Only the supervision office and leaders see instructions."))
    found = access.visible_instructions(request.auth).select_related("leader").filter(code=code).first()
    if found is None:
        raise HttpError(404, _("No such instruction."))
    return found


@router.get(
    "/instructions/{code}", response={200: InstructionOut, 403: Message, 404: Message}, summary="Instruction"
)
def get_instruction(request, code: UUID):
    """An instruction with what became of it: its tasks' states, deadlines and progress."""
    return _instruction(_get_instruction(request, code))


@router.post(
    "/instructions/{code}/tasks",
    response={201: InstructionOut, 403: Message, 404: Message, 409: Message, 422: Message},
    summary="Turn an instruction into another task",
)
def add_instruction_task(request, code: UUID, body: InstructionTaskIn):
    instruction = _get_instruction(request, code)
    lead = _units([body.lead_unit])[0]
    supporting = _units(body.supporting_units) if body.supporting_units else []
    try:
        services.instruction_task(actor=request.auth, instruction=instruction, title=body.title, lead_unit=lead,
                                  supporting_units=supporting, limit_text=body.limit_text, target=instruction.text)  # fmt: skip
    except PermissionDenied:
        raise HttpError(403, _("A leader turns only their own instructions into tasks.")) from None
    except services.CoordinationError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _instruction(Instruction.objects.prefetch_related("tasks").get(pk=instruction.pk)))
