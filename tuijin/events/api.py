"""Event programme endpoints of the JSON API (mounted under /events): programmes with countdown and readiness,
activities with readiness and preparation tasks, the day's run sheet, and signing off a checklist item.

The same rules as the pages: the 三员 and other roles without business here get 403; a programme the caller
may not see answers 404; contact phones follow the privacy policy (tuijin/events/privacy.py: in full for the
organising office, each answer that carries them logged; masked for everyone else); preparation tasks are those
the caller may see (`Task.objects.visible_to`).
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from tuijin.core import privacy
from tuijin.tasks.models import Task, TaskUnit
from tuijin.tasks.schemas import Message

from . import access, checklist, runsheet, services
from .models import Activity, ActivityTask, ChecklistItem, Programme
from .summary import percent, readiness_by_activity, readiness_by_programme, task_counts

router = Router(tags=["events"])


class CountdownOut(Schema):
    activity: UUID
    title: str
    starts_at: datetime.datetime
    days: int
    hours: int
    kind: str = Field(description="`main` for the main ceremony, `first` for the next activity.")


class Readiness(Schema):
    signed: int
    items: int
    percent: int | None = Field(
        description="Signed-off checklist items ÷ items, rounded; null without items."
    )


class StatusCounts(Schema):
    total: int
    normal: int
    warning: int
    overdue: int
    closed: int


class ProgrammeOut(Schema):
    id: UUID
    name: str
    start_date: datetime.date
    end_date: datetime.date
    organiser: str
    plan: UUID = Field(description="The event plan that holds the preparation tasks (see /plans and /tasks).")
    categories: list[str]
    readiness: Readiness
    countdowns: list[CountdownOut]


class ActivityOut(Schema):
    id: UUID
    title: str
    date: datetime.date
    start_time: str
    end_time: str
    venue: str
    lead_unit: str
    supporting_units: list[str]
    capacity: int | None
    contact_name: str
    contact_phone: str = Field(
        description="Masked (138****5678) unless the caller is in the organising office (then the answer is logged)."
    )
    notes: str
    is_main: bool
    readiness: Readiness
    tasks: StatusCounts = Field(description="Preparation tasks the caller can see, by status.")


class ProgrammeDetail(ProgrammeOut):
    tasks: StatusCounts
    tasks_by_category: dict[str, StatusCounts]
    activities: list[ActivityOut]


class PrepTaskOut(Schema):
    id: UUID
    number: str
    title: str
    category: str
    lead_units: list[str]
    deadline: datetime.date | None
    state: str
    status: str


class CheckOut(Schema):
    id: UUID
    title: str
    unit: str
    due_date: datetime.date | None
    task: UUID | None = Field(
        description="The preparation task that must be closed before the item is signed off."
    )
    waiting: bool = Field(description="True while that task is not closed.")
    signed_by: str | None
    signed_at: datetime.datetime | None
    note: str


class ActivityDetail(ActivityOut):
    programme: UUID
    preparation_tasks: list[PrepTaskOut]
    checklist: list[CheckOut]


class RunSheetRow(Schema):
    time: str
    activity: UUID
    title: str
    venue: str
    lead_unit: str
    supporting_units: str
    capacity: int | None
    contact: str
    notes: str


class RunSheetOut(Schema):
    programme: UUID
    date: datetime.date
    days: list[datetime.date] = Field(description="Every day of the programme that has activities.")
    rows: list[RunSheetRow]


class SignIn(Schema):
    note: str = ""


# ——— helpers ———


def _use(request) -> None:
    if not access.may_use(request.auth):
        raise HttpError(403, _("Event programmes are not part of your role."))


def _programme(request, code) -> Programme:
    _use(request)
    programme = (
        access.visible_programmes(request.auth).select_related("plan", "organiser").filter(code=code).first()
    )
    if programme is None:
        raise HttpError(404, _("No such programme."))
    return programme


def _counts(counts: dict) -> dict:
    return {k: counts.get(k, 0) for k in StatusCounts.model_fields}


def _countdowns(activities, now) -> list[dict]:
    return [
        {"activity": c.activity.code, "title": c.activity.title, "starts_at": c.target, "days": c.days,
         "hours": c.hours, "kind": c.label}
        for c in services.countdowns(activities, now)
    ]  # fmt: skip


def _programme_out(programme: Programme, activities, signed_items, now) -> dict:
    signed, items = signed_items
    return {
        "id": programme.code, "name": programme.name, "start_date": programme.start_date,
        "end_date": programme.end_date, "organiser": programme.organiser.name, "plan": programme.plan.code,
        "categories": programme.categories or [],
        "readiness": {"signed": signed, "items": items, "percent": percent(signed, items)},
        "countdowns": _countdowns(activities, now),
    }  # fmt: skip


def _activity_out(a: Activity, readiness: tuple[int, int], counts: dict, viewer) -> dict:
    signed, items = readiness
    return {
        "id": a.code, "title": a.title, "date": a.date, "start_time": f"{a.start_time:%H:%M}",
        "end_time": f"{a.end_time:%H:%M}", "venue": a.venue, "lead_unit": a.lead_unit.name,
        "supporting_units": [u.name for u in a.supporting_units.all()], "capacity": a.capacity,
        "contact_name": a.contact_name, "contact_phone": privacy.export_value(viewer, a, "contact_phone"),
        "notes": a.notes, "is_main": a.is_main,
        "readiness": {"signed": signed, "items": items, "percent": percent(signed, items)},
        "tasks": _counts(counts),
    }  # fmt: skip


def _disclosed(request, activities, what: str) -> None:
    """One audit row when the answer carries contact phones in full (the organising office's, by the policy)."""
    full = [
        a for a in activities if a.contact_phone and privacy.may_see_full(request.auth, a, "contact_phone")
    ]
    if full:
        privacy.record_export(actor=request.auth, model=Activity, names=["contact_phone"], rows=len(full),
                              full=True, description=f"API {what}")  # fmt: skip


def _activities(programme: Programme) -> list[Activity]:
    return list(programme.activities.select_related("lead_unit").prefetch_related("supporting_units"))


# ——— endpoints ———


@router.get("/programmes", response={200: list[ProgrammeOut], 403: Message}, summary="Event programmes")
def list_programmes(request):
    """Programmes the caller may see, latest first, with readiness and the countdowns to the next activity and
    the main ceremony."""
    _use(request)
    programmes = list(
        access.visible_programmes(request.auth)
        .select_related("plan", "organiser")
        .prefetch_related("activities")
        .order_by("-end_date", "name")
    )
    readiness = readiness_by_programme([p.pk for p in programmes])
    now = timezone.now()
    return [_programme_out(p, list(p.activities.all()), readiness.get(p.pk, (0, 0)), now) for p in programmes]


@router.get(
    "/programmes/{code}", response={200: ProgrammeDetail, 403: Message, 404: Message}, summary="Programme"
)
def get_programme(request, code: UUID):
    """One programme with its activities (readiness and preparation tasks by status each) and its preparation
    tasks by category."""
    programme = _programme(request, code)
    activities = _activities(programme)
    readiness = readiness_by_activity([a.pk for a in activities])
    counts = task_counts(request.auth, programme)
    _disclosed(request, activities, "programme")
    signed = sum(r[0] for r in readiness.values())
    items = sum(r[1] for r in readiness.values())
    return _programme_out(programme, activities, (signed, items), timezone.now()) | {
        "tasks": _counts(counts["total"]),
        "tasks_by_category": {name: _counts(c) for name, c in counts["by_category"].items()},
        "activities": [
            _activity_out(a, readiness.get(a.pk, (0, 0)), counts["by_activity"].get(a.pk, {}), request.auth)
            for a in activities
        ],
    }


@router.get(
    "/programmes/{code}/activities",
    response={200: list[ActivityOut], 403: Message, 404: Message},
    summary="Activities with readiness",
)
def list_activities(request, code: UUID):
    programme = _programme(request, code)
    activities = _activities(programme)
    readiness = readiness_by_activity([a.pk for a in activities])
    counts = task_counts(request.auth, programme)["by_activity"]
    _disclosed(request, activities, "activities")
    return [
        _activity_out(a, readiness.get(a.pk, (0, 0)), counts.get(a.pk, {}), request.auth) for a in activities
    ]


@router.get(
    "/activities/{code}", response={200: ActivityDetail, 403: Message, 404: Message}, summary="Activity"
)
def get_activity(request, code: UUID):
    """An activity with the preparation tasks the caller can see and its readiness checklist."""
    _use(request)
    activity = (
        Activity.objects.select_related("programme", "lead_unit").prefetch_related("supporting_units")
        .filter(code=code, programme__in=access.visible_programmes(request.auth)).first()
    )  # fmt: skip
    if activity is None:
        raise HttpError(404, _("No such activity."))
    user = request.auth
    links = (
        ActivityTask.objects.filter(activity=activity, task__in=Task.objects.visible_to(user))
        .select_related("task")
        .prefetch_related(Prefetch("task__task_units", queryset=TaskUnit.objects.select_related("unit")))
        .order_by("category", "task__deadline", "id")
    )
    items = list(activity.checklist.select_related("unit", "signed_by", "task"))
    counts: dict[str, int] = {}
    tasks = []
    for link in links:
        t = link.task
        counts[t.status] = counts.get(t.status, 0) + 1
        counts["total"] = counts.get("total", 0) + 1
        tasks.append({"id": t.code, "number": t.number, "title": t.title, "category": link.category,
                      "lead_units": [u.name for u in t.lead_units], "deadline": t.deadline, "state": t.state,
                      "status": t.status})  # fmt: skip
    signed = sum(1 for i in items if i.is_signed)
    _disclosed(request, [activity], "activity")
    out = _activity_out(activity, (signed, len(items)), counts, user)
    return out | {
        "programme": activity.programme.code,
        "preparation_tasks": tasks,
        "checklist": [_check_out(i) for i in items],
    }


def _check_out(item: ChecklistItem) -> dict:
    return {
        "id": item.code, "title": item.title, "unit": item.unit.name, "due_date": item.due_date,
        "task": item.task.code if item.task_id else None, "waiting": checklist.waiting_for(item) is not None,
        "signed_by": str(item.signed_by) if item.signed_by_id else None, "signed_at": item.signed_at,
        "note": item.note,
    }  # fmt: skip


@router.get("/programmes/{code}/run-sheet", response={200: RunSheetOut, 403: Message, 404: Message},
            summary="Run sheet of a day")  # fmt: skip
def run_sheet(request, code: UUID, date: datetime.date | None = None):
    """The activities of one day (`date`, default: today if it has activities, else the next day that has)
    in order of time. Contact phones are masked unless the caller is in the organising office."""
    programme = _programme(request, code)
    days = runsheet.days(programme)
    if date is None:
        today = timezone.localdate()
        date = today if today in days else next((d for d in days if d >= today), days[0] if days else today)
    rows = runsheet.rows(programme, date, viewer=request.auth)
    _disclosed(request, [r.activity for r in rows], "run sheet")
    return {
        "programme": programme.code, "date": date, "days": days,
        "rows": [
            {"time": r.time, "activity": r.activity.code, "title": r.activity.title, "venue": r.activity.venue,
             "lead_unit": r.activity.lead_unit.name, "supporting_units": r.supporting,
             "capacity": r.activity.capacity, "contact": r.contact, "notes": r.activity.notes}
            for r in rows
        ],
    }  # fmt: skip


@router.post(
    "/checklist/{code}/sign-off",
    response={200: CheckOut, 403: Message, 404: Message, 409: Message},
    summary="Sign off a checklist item",
)
def sign_off(request, code: UUID, body: SignIn):
    """A user of the item's responsible unit signs it off (403 for anyone else). 409 when it is signed off
    already, or while the preparation task it is tied to is not closed."""
    _use(request)
    item = (
        ChecklistItem.objects.select_related("activity", "unit")
        .filter(code=code, activity__programme__in=access.visible_programmes(request.auth)).first()
    )  # fmt: skip
    if item is None:
        raise HttpError(404, _("No such checklist item."))
    if not access.may_sign(request.auth, item):
        raise HttpError(403, _("Only a user of %(unit)s can sign off this item.") % {"unit": item.unit.name})
    try:
        item = checklist.sign_off(actor=request.auth, item=item, note=body.note)
    except services.EventError as exc:
        return Status(409, {"detail": str(exc)})
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    item = ChecklistItem.objects.select_related("unit", "signed_by", "task").get(pk=item.pk)
    return _check_out(item)
