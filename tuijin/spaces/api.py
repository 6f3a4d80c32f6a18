"""Spaces endpoints of the JSON API (mounted at /api/v1/spaces/), scoped like the pages: space managers see their
buildings' spaces and leases and every application; applicants only their own applications and leases;
supervisors and leaders the inventory and the aggregates; everyone else 403. ID numbers and phones come masked
except to the applicant themselves. Every write goes through the same services (and audit) as the pages; 409 says
why the state does not allow it, 422 names each invalid field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from tuijin.core import privacy
from tuijin.tasks.api import _request_body, _validated
from tuijin.tasks.schemas import Message, ValidationErrors

from . import reports, services
from .access import (
    managed_spaces,
    manages_lease,
    scope_of,
    visible_applications,
    visible_leases,
    visible_spaces,
)
from .forms import AllocateForm, ApplicationForm, ChecklistForm, NoticeForm, ReviewForm
from .models import Policy, SpaceKind
from .queue import standing

router = Router(tags=["spaces"])
PAGE_SIZE = 50


class Pages(PageNumberPagination):
    """Page numbers bounded so that no offset overflows the database's integers."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=200)


class SpaceOut(Schema):
    id: UUID
    building: str
    sector: str
    label: str
    kind: str
    rooms: int
    desks: int
    area: Decimal
    furnishing: list[str]
    market_rent: Decimal
    status: str

    @staticmethod
    def resolve_id(space) -> UUID:
        return space.code

    @staticmethod
    def resolve_building(space) -> str:
        return space.building.name

    @staticmethod
    def resolve_sector(space) -> str:
        return space.building.sector.name


class Check(Schema):
    ok: bool
    text: str


class ApplicationOut(Schema):
    id: UUID
    number: str
    kind: str
    category: str
    name: str
    id_number: str
    employer: str
    score: int
    state: str
    eligible: bool
    eligibility: list[Check]
    submitted_at: datetime.datetime
    first_review_due: datetime.date | None
    second_review_due: datetime.date | None
    publicity_ends: datetime.date | None
    reject_reason: str

    @staticmethod
    def resolve_id(application) -> UUID:
        return application.code

    @staticmethod
    def resolve_id_number(application, context) -> str:
        viewer = context["request"].auth
        if privacy.access(viewer, application, "id_number") == privacy.Access.FULL:
            return application.id_number
        return privacy.mask(application, "id_number", application.id_number)

    @staticmethod
    def resolve_eligibility(application) -> list[dict]:
        return application.eligibility_reasons


class ApplicationDetailOut(ApplicationOut):
    queue_position: int | None = None
    queue_length: int | None = None
    queue_reason: str = ""


class LeaseOut(Schema):
    id: UUID
    space: UUID
    space_name: str
    application: str
    state: str
    start: datetime.date
    end: datetime.date
    term_ends: datetime.date
    market_rent: Decimal
    monthly_rent: Decimal
    rent_rule: str
    move_out_on: datetime.date | None

    @staticmethod
    def resolve_id(lease) -> UUID:
        return lease.code

    @staticmethod
    def resolve_space(lease) -> UUID:
        return lease.space.code

    @staticmethod
    def resolve_space_name(lease) -> str:
        return str(lease.space)

    @staticmethod
    def resolve_application(lease) -> str:
        return lease.application.number


class ReviewIn(Schema):
    approve: bool
    note: str = ""


class AllocateIn(Schema):
    space: UUID
    start: datetime.date
    reason: str = ""


class ApplyIn(Schema):
    category: str
    name: str
    id_number: str
    phone: str
    employer: str
    credit_code: str = ""
    score_items: list[str] = []
    note: str = ""
    consent: bool


def _staff(user):
    if not scope_of(user).is_staff:
        raise HttpError(403, _("The spaces inventory is not open to your role."))


def _manager(user):
    if not scope_of(user).is_manager:
        raise HttpError(403, _("Only space managers can do this."))


def _entrant(user):
    scope = scope_of(user)
    if not (scope.is_manager or scope.is_applicant):
        raise HttpError(403, _("Applications are open to space managers and to applicants (their own)."))


@router.get("/spaces", response={200: list[SpaceOut], 403: Message}, summary="Spaces")
@paginate(Pages, page_size=PAGE_SIZE)
def list_spaces(request, kind: str | None = None, status: str | None = None):
    """The inventory the caller sees: a space manager their buildings', supervisors and leaders all."""
    _staff(request.auth)
    spaces = visible_spaces(request.auth).select_related("building__sector")
    if kind:
        spaces = spaces.filter(kind=kind)
    if status:
        spaces = spaces.filter(status=status)
    return spaces


@router.get("/dashboard", response={200: dict, 403: Message}, summary="Occupancy, queues and subsidy")
def dashboard(request):
    """Aggregates only: occupancy by building, sector and kind; queue lengths and waits; subsidy per month (yuan)."""
    _staff(request.auth)
    occupancy = {
        group: [{"name": o.label, "total": o.total, "let": o.let, "rate": o.rate, **o.counts} for o in rows]
        for group, rows in reports.occupancy(request.auth).items()
    }
    subsidy = [{**r, "month": r["month"].isoformat()} for r in reports.monthly_subsidy(request.auth)]
    return {"occupancy": occupancy, "queues": reports.queues(), "subsidy": subsidy}


@router.get("/applications", response={200: list[ApplicationOut], 403: Message}, summary="Applications")
@paginate(Pages, page_size=PAGE_SIZE)
def list_applications(request, state: str | None = None):
    """A space manager sees every application; an applicant only their own."""
    _entrant(request.auth)
    applications = visible_applications(request.auth).order_by("-submitted_at", "-pk")
    if state:
        applications = applications.filter(state=state)
    return applications


@router.get("/applications/{code}", response={200: ApplicationDetailOut, 403: Message, 404: Message},
            summary="One application, with its queue position and the reason")  # fmt: skip
def get_application(request, code: UUID):
    _entrant(request.auth)
    application = get_object_or_404(visible_applications(request.auth).select_related("policy"), code=code)
    position = standing(application)
    if position:
        application.queue_position, application.queue_length = position.position, position.length
        application.queue_reason = position.reason
    return application


@router.post(
    "/apply/{kind}",
    response={201: ApplicationDetailOut, 403: Message, 404: Message, 409: Message, 422: ValidationErrors},
    summary="Apply (applicants)",
    description="Multipart form: the fields below and one file per required document, named `document_0`, "
    "`document_1`… in the policy's order. 409 when the same ID number (or enterprise) has an open application.",
    openapi_extra=_request_body(ApplyIn, files=True),
)
def apply(request, kind: str):
    if not scope_of(request.auth).is_applicant:
        raise HttpError(403, _("Only applicants apply."))
    if kind not in SpaceKind.values:
        raise HttpError(404, _("No such kind of space."))
    policy = get_object_or_404(Policy, kind=kind)
    data = _validated(ApplicationForm, request, policy=policy)
    try:
        application = services.submit_application(
            actor=request.auth, policy=policy, category=data["category"], name=data["name"],
            id_number=data["id_number"], phone=data["phone"], employer=data["employer"],
            credit_code=data.get("credit_code", ""), score_items=data.get("score_items", []), note=data["note"],
            documents=data["documents"],
        )  # fmt: skip
    except services.SpacesError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, application)


@router.post(
    "/applications/{code}/review/{step}",
    response={200: ApplicationDetailOut, 403: Message, 404: Message, 409: Message, 422: ValidationErrors},
    summary="First or second review (space managers)",
    description="`step` (in the path) is `first` (初审) or `second` (复审); a refusal needs a `note`, which the applicant reads.",
    openapi_extra=_request_body(ReviewIn),
)
def review(request, code: UUID, step: str):
    _manager(request.auth)
    application = get_object_or_404(visible_applications(request.auth), code=code)

    def prepare(data):  # JSON true/false as the web form's "1"/"0"
        approve = str(data.get("approve", "")).lower()
        if approve in ("true", "false"):
            data["approve"] = "1" if approve == "true" else "0"
        return data

    data = _validated(ReviewForm, request, prepare=prepare)
    try:
        return services.review(actor=request.auth, application=application, step=step, approve=data["approve"],
                               note=data["note"])  # fmt: skip
    except services.SpacesError as exc:
        return Status(409, {"detail": str(exc)})


@router.post(
    "/applications/{code}/allocate",
    response={201: LeaseOut, 403: Message, 404: Message, 409: Message, 422: ValidationErrors},
    summary="Allocate a space (space managers)",
    description="Lets `space` (one of the caller's buildings, available, of the kind applied for) to a waiting "
    "application from `start`. Out of turn only with a `reason`. 409 when the space was just let to someone else.",
    openapi_extra=_request_body(AllocateIn),
)
def allocate(request, code: UUID):
    _manager(request.auth)
    application = get_object_or_404(visible_applications(request.auth), code=code)
    data = _validated(AllocateForm, request, spaces=managed_spaces(request.auth))
    try:
        lease = services.allocate(actor=request.auth, application=application, space=data["space"],
                                  start=data["start"], reason=data["reason"])  # fmt: skip
    except services.SpacesError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, lease)


@router.get("/leases", response={200: list[LeaseOut], 403: Message}, summary="Leases")
@paginate(Pages, page_size=PAGE_SIZE)
def list_leases(request, state: str | None = None):
    """A space manager's buildings' leases; an applicant's own."""
    _entrant(request.auth)
    leases = visible_leases(request.auth).select_related("space__building", "application").order_by("-pk")
    if state:
        leases = leases.filter(state=state)
    return leases


@router.get("/leases/{code}", response={200: LeaseOut, 403: Message, 404: Message}, summary="One lease")
def get_lease(request, code: UUID):
    _entrant(request.auth)
    return get_object_or_404(
        visible_leases(request.auth).select_related("space__building", "application"), code=code
    )


class NoticeIn(Schema):
    move_out_on: datetime.date


class ChecklistIn(Schema):
    note: str = ""
    item_0: bool = False
    item_1: bool = False


def _lease_for(request, code):
    return get_object_or_404(
        visible_leases(request.auth).select_related("space__building", "application__policy"), code=code
    )


@router.post(
    "/leases/{code}/notice",
    response={200: LeaseOut, 403: Message, 404: Message, 409: Message, 422: ValidationErrors},
    summary="Notice to leave (the tenant or the building's manager)",
    description="`move_out_on` at least the policy's notice period (30 days) ahead; 409 otherwise.",
    openapi_extra=_request_body(NoticeIn),
)
def give_notice(request, code: UUID):
    _entrant(request.auth)
    lease = _lease_for(request, code)
    if not (manages_lease(request.auth, lease) or lease.tenant_id == request.auth.pk):
        raise HttpError(403, _("Only the tenant or the building's manager gives notice."))
    data = _validated(NoticeForm, request)
    try:
        return services.give_notice(actor=request.auth, lease=lease, move_out_on=data["move_out_on"])
    except services.SpacesError as exc:
        return Status(409, {"detail": str(exc)})


@router.post(
    "/leases/{code}/check-in",
    response={200: LeaseOut, 403: Message, 404: Message, 409: Message, 422: ValidationErrors},
    summary="Check in (the building's manager)",
    description="One boolean per furnishing item of the space, `item_0`, `item_1`… in its order (true: present "
    "and in order), and a `note`.",
    openapi_extra=_request_body(ChecklistIn),
)
def check_in(request, code: UUID):
    _manager(request.auth)
    lease = _lease_for(request, code)
    if not manages_lease(request.auth, lease):
        raise HttpError(403, _("You do not manage this building."))
    form_data = _validated(ChecklistForm, request, space=lease.space)
    present = {item: bool(form_data.get(f"item_{i}")) for i, item in enumerate(lease.space.furnishing)}
    try:
        return services.check_in(actor=request.auth, lease=lease, present=present, note=form_data["note"])
    except services.SpacesError as exc:
        return Status(409, {"detail": str(exc)})
