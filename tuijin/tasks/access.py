"""Who may do what to a task. Views, the API, exports and downloads all ask here."""

from django.http import Http404

from tuijin.org.models import Role

from .models import Task, TaskState, TaskUnit


def unit_roles(user, task: Task) -> set[str]:
    """'lead' and/or 'support' when one of the user's units has that responsibility for the task."""
    mine = user.unit_ids(Role.UNIT)
    return {tu.role for tu in task.task_units.all() if tu.unit_id in mine}


def user_units_on(user, task: Task, role: str | None = None) -> list:
    mine = user.unit_ids(Role.UNIT)
    return [
        tu.unit for tu in task.task_units.all() if tu.unit_id in mine and (role is None or tu.role == role)
    ]


def allowed_actions(user, task: Task) -> set[str]:
    """The transitions and edits this user may perform on this task now."""
    actions: set[str] = set()
    if not user.is_authenticated:
        return actions
    roles = unit_roles(user, task)
    state = task.state
    if user.is_supervisor:
        actions.add("edit")
        if state == TaskState.CLOSURE_REQUESTED:
            actions |= {"close", "return"}
        if state != TaskState.CLOSED and task.extensions_pending:
            actions.add("decide_extension")
    if TaskUnit.LEAD in roles:
        if state == TaskState.ASSIGNED:
            actions.add("acknowledge")
        if state == TaskState.IN_PROGRESS:
            actions |= {"report", "request_closure"}
        if (
            state in (TaskState.ASSIGNED, TaskState.IN_PROGRESS)
            and task.deadline
            and not task.extensions_pending
        ):
            actions.add("request_extension")
    if TaskUnit.SUPPORT in roles and state in (TaskState.ASSIGNED, TaskState.IN_PROGRESS):
        actions.add("report")
    return actions


def get_visible_task(user, code) -> Task:
    """The task with this public code if the user may see it, else 404 (never 403: no existence leak)."""
    try:
        return Task.objects.visible_to(user).for_list().get(code=code)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
