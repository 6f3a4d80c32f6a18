"""Task endpoints of the JSON API: plans, tasks, progress reports and the task lifecycle.

Every read is scoped by `Task.objects.visible_to`; a task the caller may not see answers 404, never 403.
Every write goes through `services` (which check the state and audit). Request bodies are validated by the
same Django forms as the web pages, so the rules and the translated messages are the same.
"""

import copy
import datetime
import json
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from tuijin.core.pagination import BoundedPageNumberPagination

from . import services
from .access import get_visible_task, unit_roles
from .forms import CloseForm, ClosureForm, DecideExtensionForm, ExtensionForm, ReportForm, ReturnForm
from .models import ExtensionRequest, Plan, Report, Task, TaskState, TaskStatus, TaskUnit
from .schemas import (
    CloseIn,
    ClosureIn,
    DecisionIn,
    ExtensionIn,
    Message,
    PlanOut,
    ReportIn,
    ReportOut,
    ReturnIn,
    TaskDetail,
    TaskItem,
    ValidationErrors,
)

router = Router(tags=["tasks"])

PAGE_SIZE = 50

WRITE_RULES = """
Answers 404 when the caller cannot see the task, 403 when the caller's role can never do this
(leaders only read; only the lead unit acknowledges and asks for closure or extension; lead and supporting
units report; only the supervision office closes, returns and decides extensions), 409 with `detail` when the
role may but the task's state does not allow it now, 422 naming each invalid field, and 400 for a body
that is not a JSON object."""

WRITE_RESPONSES = {400: Message, 403: Message, 404: Message, 409: Message, 422: ValidationErrors}


# ——— reading requests ———


def _request_body(schema: type[Schema], *, files: bool = False) -> dict:
    """OpenAPI description of a body we parse ourselves (JSON, or multipart when files are accepted)."""
    json_schema = schema.model_json_schema()
    content = {"application/json": {"schema": json_schema}}
    if files:
        multipart = copy.deepcopy(json_schema)
        multipart["properties"]["files"] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "Photos (JPG, PNG, WebP), PDF, Word or Excel files; checked by content.",
        }
        content["multipart/form-data"] = {"schema": multipart}
    return {"requestBody": {"required": True, "content": content}}


def _read_body(request) -> tuple[dict, MultiValueDict]:
    """The submitted fields and files, from a JSON object or from a multipart/urlencoded form."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return request.POST, request.FILES
    if not request.body:
        return {}, MultiValueDict()
    try:
        data = json.loads(request.body, parse_float=Decimal)
    except ValueError:
        raise HttpError(400, _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise HttpError(400, _("The request body must be a JSON object."))
    errors = [
        {"loc": ["body", name], "msg": _("Enter a single value."), "type": "invalid"}
        for name, value in data.items()
        if isinstance(value, list | dict)
    ]
    if errors:
        raise ValidationError(errors)
    return {name: _form_value(value) for name, value in data.items()}, MultiValueDict()


def _form_value(value):
    """A JSON scalar as the text a web form would post, so form fields never see a bare bool or number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _validated(form_class, request, *, prepare=None, **kwargs) -> dict:
    """Cleaned data of the web form for this body, or 422 with one entry per field error."""
    data, files = _read_body(request)
    if prepare is not None:
        data = prepare(dict(data.items()))
    form = form_class(data, files, **kwargs)
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(
        [
            {
                "loc": ["body"] if field == "__all__" else ["body", field],
                "msg": error["message"],
                "type": error["code"],
            }
            for field, errors in form.errors.get_json_data().items()
            for error in errors
        ]
    )


def _approve_as_choice(data: dict) -> dict:
    # The web form posts "1"/"0"; JSON says true/false.
    approve = data.get("approve")
    if isinstance(approve, bool) or str(approve).lower() in ("true", "false"):
        data["approve"] = "1" if str(approve).lower() == "true" else "0"
    return data


# ——— who may write ———

LEAD_ACTIONS = {"acknowledge", "request_closure", "request_extension"}
SUPERVISOR_ACTIONS = {"close", "return", "decide_extension"}


def _require_role(user, task: Task, action: str) -> None:
    """403 when the caller's role can never do this to this task; the state is for the service to judge (409)."""
    if action in SUPERVISOR_ACTIONS:
        if not user.is_supervisor:
            raise HttpError(403, _("Only the supervision office can do this."))
    elif action in LEAD_ACTIONS:
        if TaskUnit.LEAD not in unit_roles(user, task):
            raise HttpError(403, _("Only the lead unit of this task can do this."))
    elif not unit_roles(user, task):
        raise HttpError(403, _("Only the lead and supporting units of this task can report on it."))


def _detail(request, code) -> Task:
    # Fetched again after a write: the service changed state, and cached properties must not answer from before.
    return get_visible_task(request.auth, code)


def _conflict(exc: services.TransitionError) -> Status:
    return Status(409, {"detail": str(exc)})


def _transition(request, code, action: str, perform, form_class=None):
    """One task transition: 404 unless visible, 403 by role, 422 by the web form, 409 if the service refuses,
    else the task as it is now. `perform(task, data)` calls the service."""
    task = get_visible_task(request.auth, code)
    _require_role(request.auth, task, action)
    data = _validated(form_class, request) if form_class else {}
    try:
        perform(task, data)
    except services.TransitionError as exc:
        return _conflict(exc)
    return _detail(request, code)


# ——— plans ———


@router.get("/plans", response=list[PlanOut], summary="Plans", tags=["plans"])
def list_plans(request):
    """Plans with at least one task the caller can see (every plan for the supervision office and leaders),
    with the visible tasks counted by status."""
    user = request.auth
    visible = Q(tasks__in=Task.objects.visible_to(user))
    counts = {"n_total": Count("tasks", filter=visible)} | {
        f"n_{status}": Count("tasks", filter=visible & Q(tasks__status=status))
        for status in TaskStatus.values
    }
    plans = Plan.objects.annotate(**counts).order_by("-year", "name")
    if not user.sees_all_tasks:
        plans = plans.filter(n_total__gt=0)
    return plans


# ——— tasks ———


class TaskFilters(Schema):
    plan: UUID | None = None
    status: TaskStatus | None = None
    state: TaskState | None = None
    unit: str | None = None
    q: str | None = None
    updated_since: datetime.datetime | None = None


@router.get("/tasks", response=list[TaskItem], summary="Tasks")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_tasks(request, filters: Query[TaskFilters]):
    """Tasks the caller can see, in list order, `page` by `page` (`page_size` up to 100).

    Filters: `plan` (plan id), `status`, `state`, `unit` (name or short name of a lead or supporting unit),
    `q` (words of the title, target or category, or the exact number), `updated_since` (ISO datetime;
    without an offset it is read in the server's time zone)."""
    tasks = Task.objects.visible_to(request.auth)
    if filters.plan:
        tasks = tasks.filter(plan__code=filters.plan)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.state:
        tasks = tasks.filter(state=filters.state)
    if filters.unit:
        named = Q(unit__name=filters.unit) | Q(unit__short_name=filters.unit)
        tasks = tasks.filter(Exists(TaskUnit.objects.filter(named, task=OuterRef("pk"))))
    if filters.q:
        q = filters.q.strip()
        tasks = tasks.filter(
            Q(title__icontains=q) | Q(target__icontains=q) | Q(number=q) | Q(category__icontains=q)
        )
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        tasks = tasks.filter(updated_at__gte=since)
    return tasks.for_list().order_by("plan__year", "plan__name", "sort_key", "id")


@router.get("/tasks/{code}", response={200: TaskDetail, 404: Message}, summary="Task")
def get_task(request, code: UUID):
    """One task with its target, responsibility, source, milestones, latest report, extension requests and
    the actions the caller may take now. 404 when the caller cannot see it."""
    return get_visible_task(request.auth, code)


@router.post(
    "/tasks/{code}/reports",
    response={201: ReportOut, **WRITE_RESPONSES},
    summary="Report progress",
    description="Send JSON, or multipart/form-data with the same fields and any number of `files`. "
    "Give `progress` or `value` (or both); progress cannot go back. Creates the report and answers it."
    + WRITE_RULES,
    openapi_extra=_request_body(ReportIn, files=True),
)
def create_report(request, code: UUID):
    task = get_visible_task(request.auth, code)
    _require_role(request.auth, task, "report")
    data = _validated(ReportForm, request, task=task)
    try:
        report = services.submit_report(actor=request.auth, task=task, **data)
    except services.TransitionError as exc:
        return _conflict(exc)
    return Status(
        201, Report.objects.select_related("unit", "author").prefetch_related("evidence").get(pk=report.pk)
    )


@router.post(
    "/tasks/{code}/acknowledge",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Acknowledge (签收)",
    description="The lead unit takes the task on; it moves from assigned to in progress." + WRITE_RULES,
)
def acknowledge(request, code: UUID):
    return _transition(
        request, code, "acknowledge", lambda task, _data: services.acknowledge(actor=request.auth, task=task)
    )


@router.post(
    "/tasks/{code}/request-closure",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Request closure (申请办结)",
    description="The lead unit says the task is done, with evidence: multipart with `note` and `files`, or JSON "
    "with `note` only when evidence is already attached to the task (else 409)." + WRITE_RULES,
    openapi_extra=_request_body(ClosureIn, files=True),
)
def request_closure(request, code: UUID):
    return _transition(
        request, code, "request_closure",
        lambda task, data: services.request_closure(actor=request.auth, task=task, **data), ClosureForm,
    )  # fmt: skip


@router.post(
    "/tasks/{code}/close",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Close (销号)",
    description="The supervision office verifies a closure request and closes the task." + WRITE_RULES,
    openapi_extra=_request_body(CloseIn),
)
def close(request, code: UUID):
    return _transition(
        request, code, "close",
        lambda task, data: services.close_task(actor=request.auth, task=task, note=data["note"]), CloseForm,
    )  # fmt: skip


@router.post(
    "/tasks/{code}/return",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Return (退回)",
    description="The supervision office sends a closure request back, with the reason; the task is in progress "
    "again." + WRITE_RULES,
    openapi_extra=_request_body(ReturnIn),
)
def return_task(request, code: UUID):
    return _transition(
        request, code, "return",
        lambda task, data: services.return_task(actor=request.auth, task=task, reason=data["reason"]), ReturnForm,
    )  # fmt: skip


@router.post(
    "/tasks/{code}/extensions",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Request an extension (延期申请)",
    description="The lead unit asks for a later deadline, before the current one has passed; the request "
    "appears under `extensions` of the answer." + WRITE_RULES,
    openapi_extra=_request_body(ExtensionIn),
)
def request_extension(request, code: UUID):
    return _transition(
        request, code, "request_extension",
        lambda task, data: services.request_extension(actor=request.auth, task=task, **data), ExtensionForm,
    )  # fmt: skip


@router.post(
    "/extensions/{extension_id}/decision",
    response={200: TaskDetail, **WRITE_RESPONSES},
    summary="Decide an extension",
    description="The supervision office approves or rejects a pending extension request; approval moves the "
    "deadline and keeps the first one as `original_deadline`. Answers the task." + WRITE_RULES,
    openapi_extra=_request_body(DecisionIn),
)
def decide_extension(request, extension_id: int):
    user = request.auth
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("task"),
        pk=extension_id,
        task__in=Task.objects.visible_to(user),
    )
    task = get_visible_task(user, extension.task.code)
    _require_role(user, task, "decide_extension")
    data = _validated(DecideExtensionForm, request, prepare=_approve_as_choice)
    extension.task = task
    try:
        services.decide_extension(actor=user, extension=extension, **data)
    except services.TransitionError as exc:
        return _conflict(exc)
    return _detail(request, task.code)
