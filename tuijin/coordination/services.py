"""Writes to the liaison roster, joint meetings, their minutes and decisions, and leader instructions.

Each function checks who may do it, validates, saves and writes its own audit row in one transaction. Decisions
and instructions become tasks through `tuijin.tasks.services.create_task`, in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.lib.masking import mask_phone
from tuijin.org import services as org_services
from tuijin.org.models import Role, Unit
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan, SourceKind, Task

from . import access
from .models import AgendaItem, Attendance, Decision, Instruction, JointMeeting, LiaisonTerm, Meeting

DAY = datetime.timedelta(days=1)


class CoordinationError(Exception):
    """The action is not possible now; the message says why, for the user."""


def clean(text: str | None) -> str:
    """Text any database stores as given: the API takes any string, but PostgreSQL refuses NUL and lone
    surrogates. Leading and trailing blanks go too."""
    text = (text or "").replace("\x00", "")
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF).strip()


# ——— liaison roster ———


def _term_snapshot(term: LiaisonTerm) -> dict:
    # Phones are personal data: masked in the audit log as on screen.
    return {
        "unit": term.unit.name, "role": term.role, "name": term.name, "position": term.position,
        "phone": mask_phone(term.phone), "office_phone": mask_phone(term.office_phone),
        "start_date": term.start_date.isoformat(), "end_date": term.end_date.isoformat() if term.end_date else None,
        "user_id": term.user_id,
    }  # fmt: skip


@transaction.atomic
def appoint_liaison(
    *, actor, unit: Unit, role: str, name: str, phone: str, start_date: datetime.date, position: str = "",
    office_phone: str = "", user=None, note: str = "",
) -> LiaisonTerm:  # fmt: skip
    """Start a term; the person holding the same role is relieved the day before. The current officer is also
    written to the unit's liaison record (tuijin.org), which other pages read."""
    access.require_supervisor(actor)
    try:
        phone = org_services.normalise_mobile(phone)
    except ValidationError as exc:
        raise CoordinationError(exc.messages[0]) from None
    if not clean(name):
        raise CoordinationError(_("Enter the liaison officer's name."))
    later = LiaisonTerm.objects.filter(unit=unit, role=role, start_date__gte=start_date)
    if later.exists():
        raise CoordinationError(_("A term of this role already starts on or after %(date)s; end or correct that one first.")
                                % {"date": start_date.isoformat()})  # fmt: skip
    for previous in LiaisonTerm.objects.filter(unit=unit, role=role, end_date__isnull=True):
        before = _term_snapshot(previous)
        previous.end_date = start_date - DAY
        previous.save(update_fields=["end_date"])
        record(actor=actor, action="coordination.liaison.end", obj=previous, before=before,
               after=_term_snapshot(previous))  # fmt: skip
    term = LiaisonTerm.objects.create(
        unit=unit, role=role, name=clean(name), phone=phone, position=clean(position),
        office_phone=clean(office_phone), user=user, start_date=start_date, note=clean(note),
    )  # fmt: skip
    record(actor=actor, action="coordination.liaison.appoint", obj=term, after=_term_snapshot(term))
    if role == LiaisonTerm.Role.OFFICER and term.is_current():
        org_services.set_liaison(actor=actor, unit=unit, name=term.name, phone=phone, position=term.position,
                                 office_phone=term.office_phone, user=user)  # fmt: skip
    return term


@transaction.atomic
def end_liaison_term(*, actor, term: LiaisonTerm, end_date: datetime.date) -> LiaisonTerm:
    access.require_supervisor(actor)
    if end_date < term.start_date:
        raise CoordinationError(
            _("A term cannot end before it starts (%(date)s).") % {"date": term.start_date}
        )
    before = _term_snapshot(term)
    term.end_date = end_date
    term.save(update_fields=["end_date"])
    record(
        actor=actor, action="coordination.liaison.end", obj=term, before=before, after=_term_snapshot(term)
    )
    return term


# ——— joint meetings and meetings ———


def _jm_snapshot(jm: JointMeeting) -> dict:
    return {"name": jm.name, "convener": jm.convener.name, "members": sorted(u.name for u in jm.members.all()),
            "minutes_prefix": jm.minutes_prefix, "issuing_organ": jm.issuing_organ, "is_active": jm.is_active}  # fmt: skip


@transaction.atomic
def save_joint_meeting(*, actor, joint_meeting: JointMeeting | None = None, name: str, convener: Unit,
                       members: Sequence[Unit], minutes_prefix: str = "纪要", issuing_organ: str = "",
                       description: str = "", is_active: bool = True, is_illustrative: bool = False) -> JointMeeting:  # fmt: skip
    access.require_supervisor(actor)
    before = _jm_snapshot(joint_meeting) if joint_meeting else None
    jm = joint_meeting or JointMeeting(is_illustrative=is_illustrative)
    jm.name, jm.convener, jm.minutes_prefix = clean(name), convener, clean(minutes_prefix) or "纪要"
    jm.issuing_organ, jm.description, jm.is_active = clean(issuing_organ), clean(description), is_active
    jm.save()
    jm.members.set([u for u in members if u.pk != convener.pk])
    record(actor=actor, action="coordination.joint_meeting.update" if before else "coordination.joint_meeting.create",
           obj=jm, before=before, after=_jm_snapshot(jm))  # fmt: skip
    return jm


MEETING_FIELDS = (
    "title",
    "starts_at",
    "place",
    "chair",
    "agenda_cutoff",
    "pre_meeting_at",
    "pre_meeting_place",
)


def _meeting_snapshot(m: Meeting) -> dict:
    data = {}
    for name in MEETING_FIELDS + ("summary", "minutes_year", "minutes_number"):
        value = getattr(m, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value
    data["agenda_settled"] = bool(m.agenda_settled_at)
    data["locked"] = m.is_locked
    return data


def _require_unlocked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise CoordinationError(_("The minutes of this meeting are issued: the meeting is locked."))


@transaction.atomic
def save_meeting(*, actor, joint_meeting: JointMeeting, meeting: Meeting | None = None, **fields) -> Meeting:
    access.require_organiser(actor, joint_meeting)
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_unlocked(meeting)
    before = _meeting_snapshot(meeting) if meeting else None
    meeting = meeting or Meeting(joint_meeting=joint_meeting)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    if (
        meeting.agenda_cutoff
        and meeting.starts_at
        and meeting.agenda_cutoff > timezone.localdate(meeting.starts_at)
    ):
        raise CoordinationError(_("The agenda cut-off must be on or before the meeting day."))
    meeting.save()
    record(actor=actor, action="coordination.meeting.update" if before else "coordination.meeting.create",
           obj=meeting, before=before, after=_meeting_snapshot(meeting))  # fmt: skip
    return meeting


@transaction.atomic
def propose_agenda_item(*, actor, meeting: Meeting, unit: Unit, title: str, details: str = "",
                        today: datetime.date | None = None) -> AgendaItem:  # fmt: skip
    if unit not in access.proposing_units(actor, meeting.joint_meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(meeting)
    if meeting.agenda_settled_at:
        raise CoordinationError(
            _("The liaison pre-meeting has settled the agenda; propose the matter for the next meeting.")
        )
    if (today or timezone.localdate()) > meeting.agenda_cutoff:
        raise CoordinationError(
            _("Agenda items were due by %(date)s.") % {"date": meeting.agenda_cutoff.isoformat()}
        )
    if not clean(title):
        raise CoordinationError(_("Say what the matter is."))
    item = AgendaItem.objects.create(meeting=meeting, unit=unit, proposed_by=actor, title=clean(title),
                                     details=clean(details))  # fmt: skip
    record(actor=actor, action="coordination.agenda.propose", obj=item,
           after={"meeting": str(meeting.code), "unit": unit.name, "title": item.title})  # fmt: skip
    return item


@transaction.atomic
def settle_agenda(*, actor, meeting: Meeting, accepted: Sequence[AgendaItem], note: str = "") -> Meeting:
    """The liaison pre-meeting's outcome: the accepted items, in this order, are the agenda; the rest deferred."""
    access.require_organiser(actor, meeting.joint_meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(meeting)
    before = {item.pk: item.state for item in meeting.agenda_items.all()}
    order = {item.pk: i for i, item in enumerate(accepted, start=1)}
    for item in meeting.agenda_items.all():
        item.state = AgendaItem.State.ACCEPTED if item.pk in order else AgendaItem.State.DEFERRED
        item.position = order.get(item.pk, 0)
        item.save(update_fields=["state", "position"])
    meeting.agenda_settled_at = timezone.now()
    meeting.save(update_fields=["agenda_settled_at"])
    record(actor=actor, action="coordination.agenda.settle", obj=meeting,
           before={"items": before},
           after={"accepted": [i.title for i in accepted], "note": note})  # fmt: skip
    return meeting


@transaction.atomic
def sign_in(*, actor, meeting: Meeting, user=None, method: str = Attendance.Method.QR) -> Attendance:
    """Record presence; signing in twice keeps the first time. The organiser may record someone else."""
    user = user or actor
    if user.pk != actor.pk:
        access.require_organiser(actor, meeting.joint_meeting)
        method = Attendance.Method.MANUAL
    elif not access.may_sign_in(actor, meeting):
        raise PermissionDenied
    _require_unlocked(meeting)
    members = access.member_unit_ids(meeting.joint_meeting)
    unit_ids = sorted(user.unit_ids(Role.UNIT) & members) or sorted(user.unit_ids(Role.SUPERVISOR))
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"method": method, "unit_id": unit_ids[0] if unit_ids else None}
    )
    if created:
        record(actor=actor, action="coordination.attendance.sign_in", obj=meeting,
               after={"user": str(user), "method": method})  # fmt: skip
    return attendance


# ——— decisions and minutes ———


def _decision_snapshot(d: Decision) -> dict:
    return {"position": d.position, "text": d.text, "lead_unit": d.lead_unit.name,
            "supporting_units": [u.name for u in d.supporting_units.all()], "limit_text": d.limit_text,
            "task": str(d.task.code) if d.task_id else None}  # fmt: skip


@transaction.atomic
def add_decision(*, actor, meeting: Meeting, text: str, lead_unit: Unit, supporting_units: Sequence[Unit] = (),
                 limit_text: str = "", agenda_item: AgendaItem | None = None) -> Decision:  # fmt: skip
    access.require_organiser(actor, meeting.joint_meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(meeting)
    if not clean(text):
        raise CoordinationError(_("Write the decision."))
    position = (meeting.decisions.aggregate(m=Max("position"))["m"] or 0) + 1
    decision = Decision.objects.create(meeting=meeting, position=position, text=clean(text), lead_unit=lead_unit,
                                       limit_text=clean(limit_text), agenda_item=agenda_item)  # fmt: skip
    decision.supporting_units.set([u for u in supporting_units if u.pk != lead_unit.pk])
    record(actor=actor, action="coordination.decision.add", obj=decision, after=_decision_snapshot(decision))
    return decision


@transaction.atomic
def remove_decision(*, actor, decision: Decision) -> None:
    meeting = decision.meeting
    access.require_organiser(actor, meeting.joint_meeting)
    _require_unlocked(Meeting.objects.select_for_update().get(pk=meeting.pk))
    record(
        actor=actor, action="coordination.decision.remove", obj=decision, before=_decision_snapshot(decision)
    )
    decision.delete()
    for i, d in enumerate(meeting.decisions.order_by("position", "id"), start=1):
        if d.position != i:
            Decision.objects.filter(pk=d.pk).update(position=i)


def decisions_plan(joint_meeting: JointMeeting | None, year: int, *, owner: Unit | None = None,
                   illustrative: bool = False) -> Plan:  # fmt: skip
    """The plan of kind "decisions" that collects a joint meeting's (or the leaders') tasks of a year."""
    name = f"{year}年{joint_meeting.name}议定事项" if joint_meeting else f"{year}年领导批示事项"
    plan, _created = Plan.objects.get_or_create(
        name=name[:200],
        defaults={"year": year, "kind": Plan.Kind.DECISIONS, "owner_unit": owner, "is_illustrative": illustrative,
                  "start_date": datetime.date(year, 1, 1),
                  "description": _("Tasks from joint-meeting decisions and leader instructions.")},
    )  # fmt: skip
    return plan


def next_minutes_number(joint_meeting: JointMeeting, year: int) -> int:
    """The next number of the year, without gaps. Call inside a transaction holding the joint meeting's row lock
    (select_for_update), so two secretaries issuing at once get consecutive numbers, never the same one."""
    last = Meeting.objects.filter(joint_meeting=joint_meeting, minutes_year=year).aggregate(
        m=Max("minutes_number")
    )
    return (last["m"] or 0) + 1


@transaction.atomic
def issue_minutes(*, actor, meeting: Meeting, summary: str | None = None) -> Meeting:
    """Number the minutes (纪要〔2021〕N号), turn every decision into a task in the same step, lock the meeting."""
    jm = JointMeeting.objects.select_for_update().get(pk=meeting.joint_meeting_id)
    access.require_organiser(actor, jm)
    meeting = Meeting.objects.select_for_update().select_related("joint_meeting__convener").get(pk=meeting.pk)
    _require_unlocked(meeting)
    decisions = list(meeting.decisions.select_related("lead_unit").prefetch_related("supporting_units"))
    if not decisions:
        raise CoordinationError(_("Record the decisions before issuing the minutes."))
    before = _meeting_snapshot(meeting)
    year = timezone.localtime(meeting.starts_at).year
    if summary is not None:
        meeting.summary = clean(summary)
    meeting.minutes_year, meeting.minutes_number = year, next_minutes_number(jm, year)
    meeting.minutes_issued_at, meeting.minutes_issued_by = timezone.now(), actor
    meeting.save()
    plan = decisions_plan(jm, year, owner=jm.convener, illustrative=jm.is_illustrative)
    for decision in decisions:
        decision_to_task(actor=actor, decision=decision, plan=plan, meeting=meeting)
    record(actor=actor, action="coordination.minutes.issue", obj=meeting, before=before,
           after=_meeting_snapshot(meeting) | {"minutes": meeting.minutes_ref})  # fmt: skip
    return meeting


def decision_to_task(*, actor, decision: Decision, plan: Plan, meeting: Meeting) -> Task:
    """One decision → one task: lead and supporting units, time limit, source = the minute number."""
    if decision.task_id:
        return decision.task
    task = task_services.create_task(
        actor=actor, plan=plan, title=decision.text[:500], lead_units=[decision.lead_unit],
        supporting_units=list(decision.supporting_units.all()), limit_text=decision.limit_text,
        number=f"{meeting.minutes_number}-{decision.position}", category=meeting.joint_meeting.name[:100],
        source_kind=SourceKind.MEETING, source_ref=meeting.minutes_ref,
    )  # fmt: skip
    decision.task = task
    decision.save(update_fields=["task"])
    record(actor=actor, action="coordination.decision.task", obj=decision,
           after={"task": str(task.code), "minutes": meeting.minutes_ref})  # fmt: skip
    return task


# ——— leader instructions ———


@transaction.atomic
def record_instruction(
    *, actor, leader, date: datetime.date, subject: str, text: str, lead_unit: Unit | None = None,
    supporting_units: Sequence[Unit] = (), limit_text: str = "", illustrative: bool = False,
) -> Instruction:  # fmt: skip
    """A leader writes an instruction (or the office records one) and, given a lead unit, it becomes a task."""
    access.require_instructions(actor)
    if not actor.is_supervisor and leader.pk != actor.pk:
        raise PermissionDenied
    if not 2000 <= date.year <= 2100:
        raise CoordinationError(_("Give the date of the instruction."))
    if not leader.has_role(Role.LEADER):
        raise CoordinationError(_("%(name)s is not a city leader.") % {"name": leader})
    if not clean(subject) or not clean(text):
        raise CoordinationError(_("Give the instruction a subject and its text."))
    instruction = Instruction.objects.create(leader=leader, date=date, subject=clean(subject), text=clean(text),
                                             recorded_by=actor, is_illustrative=illustrative)  # fmt: skip
    record(actor=actor, action="coordination.instruction.record", obj=instruction,
           after={"leader": str(leader), "date": date.isoformat(), "subject": instruction.subject})  # fmt: skip
    if lead_unit is not None:
        instruction_task(actor=actor, instruction=instruction, title=instruction.subject, lead_unit=lead_unit,
                         supporting_units=supporting_units, limit_text=limit_text, target=instruction.text)  # fmt: skip
    return instruction


@transaction.atomic
def instruction_task(*, actor, instruction: Instruction, title: str, lead_unit: Unit,
                     supporting_units: Sequence[Unit] = (), limit_text: str = "", target: str = "") -> Task:  # fmt: skip
    access.require_instructions(actor)
    if not actor.is_supervisor and instruction.leader_id != actor.pk:
        raise PermissionDenied
    if not clean(title):
        raise CoordinationError(_("Say what the task is."))
    plan = decisions_plan(None, instruction.date.year, illustrative=instruction.is_illustrative)
    number = f"批{instruction.pk}-{instruction.tasks.count() + 1}"
    task = task_services.create_task(
        actor=actor, plan=plan, title=clean(title)[:500], target=target, lead_units=[lead_unit],
        supporting_units=[u for u in supporting_units if u.pk != lead_unit.pk], limit_text=limit_text,
        number=number, leader=str(instruction.leader)[:100], source_kind=SourceKind.INSTRUCTION,
        source_ref=instruction.source_ref,
    )  # fmt: skip
    instruction.tasks.add(task)
    record(
        actor=actor, action="coordination.instruction.task", obj=instruction, after={"task": str(task.code)}
    )
    return task
