"""Who may see and change the liaison roster, joint meetings and leader instructions. Views and the API ask here.

- the supervision office (supervisor) keeps the roster, organises every joint meeting and records instructions;
- leaders read every meeting and the roster; a leader gives instructions and sees what became of their own;
- a unit user reads the roster, and the joint meetings their unit convenes or is a member of; they propose agenda
  items for their unit and sign in; users of the convener unit organise their meeting like the office;
- everyone else (the 三员, applicants, raters, investment and space staff) has no business here: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from tuijin.org.models import Role

from .models import Instruction, JointMeeting, Meeting


def may_use(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied


def require_supervisor(user) -> None:
    if not (user.is_authenticated and user.is_supervisor):
        raise PermissionDenied


def visible_joint_meetings(user):
    if not may_use(user):
        return JointMeeting.objects.none()
    if user.sees_all_tasks:
        return JointMeeting.objects.all()
    units = user.unit_ids(Role.UNIT)
    # a subquery rather than a join, so that counts annotated later see every member, not just the user's
    member_of = JointMeeting.members.through.objects.filter(unit_id__in=units).values("jointmeeting_id")
    return JointMeeting.objects.filter(Q(convener__in=units) | Q(pk__in=member_of))


def visible_meetings(user):
    return Meeting.objects.filter(joint_meeting__in=visible_joint_meetings(user))


def get_joint_meeting(user, code) -> JointMeeting:
    require_use(user)
    try:
        return visible_joint_meetings(user).select_related("convener").get(code=code)
    except (JointMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_meeting(user, code) -> Meeting:
    require_use(user)
    try:
        return visible_meetings(user).select_related("joint_meeting__convener").get(code=code)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_organise(user, joint_meeting: JointMeeting) -> bool:
    """The office, or a user of the convener unit."""
    if not user.is_authenticated:
        return False
    return user.is_supervisor or joint_meeting.convener_id in user.unit_ids(Role.UNIT)


def require_organiser(user, joint_meeting: JointMeeting) -> None:
    if not may_organise(user, joint_meeting):
        raise PermissionDenied


def member_unit_ids(joint_meeting: JointMeeting) -> set[int]:
    return {joint_meeting.convener_id, *joint_meeting.members.values_list("pk", flat=True)}


def proposing_units(user, joint_meeting: JointMeeting) -> list:
    """The units the user may propose agenda items for: their own member units (all members for the office)."""
    from tuijin.org.models import Unit

    members = member_unit_ids(joint_meeting)
    if user.is_supervisor:
        return list(Unit.objects.filter(pk__in=members))
    return list(Unit.objects.filter(pk__in=members & user.unit_ids(Role.UNIT)))


def may_sign_in(user, meeting: Meeting) -> bool:
    """People of member units, leaders and the office sign in (visible_meetings already checked membership)."""
    return may_use(user)


# ——— instructions ———


def may_give_instructions(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER)


def visible_instructions(user):
    if not user.is_authenticated:
        return Instruction.objects.none()
    if user.is_supervisor:
        return Instruction.objects.all()
    if user.has_role(Role.LEADER):
        return Instruction.objects.filter(leader=user)
    return Instruction.objects.none()


def require_instructions(user) -> None:
    if not may_give_instructions(user):
        raise PermissionDenied


def get_instruction(user, code) -> Instruction:
    require_instructions(user)
    try:
        return visible_instructions(user).select_related("leader").get(code=code)
    except (Instruction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
