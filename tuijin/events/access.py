"""Who may see and change event programmes. Views, the API, exports and the cockpit panel all ask here.

- the supervision office organises: it sees everything and creates and edits programmes, activities, templates;
- leaders read everything;
- a unit user sees the programmes where one of their units leads or supports an activity, answers for a
  checklist item or has a preparation task — and signs off only their own units' checklist items;
- everyone else (the 三员, applicants, raters…) has no business here: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from tuijin.org.models import Role
from tuijin.tasks.models import TaskUnit

from .models import Activity, ChecklistItem, Programme


def may_use(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied


def require_organiser(user) -> None:
    if not user.is_authenticated or not user.is_supervisor:
        raise PermissionDenied


def sees_all(user) -> bool:
    return user.sees_all_tasks


def visible_programmes(user):
    if not may_use(user):
        return Programme.objects.none()
    if sees_all(user):
        return Programme.objects.all()
    units = user.unit_ids(Role.UNIT)
    if not units:
        return Programme.objects.none()
    concerned_activity = Activity.objects.filter(programme=OuterRef("pk")).filter(
        Q(lead_unit__in=units) | Q(supporting_units__in=units)
    )
    concerned_item = ChecklistItem.objects.filter(activity__programme=OuterRef("pk"), unit__in=units)
    concerned_task = TaskUnit.objects.filter(task__plan=OuterRef("plan"), unit__in=units)
    return Programme.objects.filter(
        Exists(concerned_activity) | Exists(concerned_item) | Exists(concerned_task)
    )


def get_programme(user, code) -> Programme:
    """The programme if the user may see it: 403 for roles without business here, else 404 when out of sight."""
    require_use(user)
    try:
        return visible_programmes(user).select_related("plan", "organiser").get(code=code)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_activity(user, code) -> Activity:
    require_use(user)
    try:
        activity = Activity.objects.select_related(
            "programme__plan", "programme__organiser", "lead_unit"
        ).get(code=code)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not visible_programmes(user).filter(pk=activity.programme_id).exists():
        raise Http404
    return activity


def may_sign(user, item: ChecklistItem) -> bool:
    """A user of the responsible unit signs off; nobody else, not even the office (it undoes, with a reason)."""
    return user.is_authenticated and item.unit_id in user.unit_ids(Role.UNIT)


def may_undo(user) -> bool:
    return user.is_authenticated and user.is_supervisor
