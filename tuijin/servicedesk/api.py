"""Service-request endpoints of the JSON API (mounted at /api/v1/service-requests/), scoped like the pages:
supervisors and leaders see every request, unit users those routed to their units, an enterprise account its own
enterprise's; the 三员 and every other role get 403. A request out of sight answers 404. Writes go through the
same services as the pages (rules, history, audit)."""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from tuijin.investment.models import Enterprise, Project
from tuijin.org.models import Unit

from . import access, services
from .models import Category, Channel, ServiceRequest

router = Router(tags=["service requests"])


class Pages(PageNumberPagination):
    """Page numbers bounded so that no offset overflows the database's integers (a fuzzed page=10**18 erred)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=200)


class Message(Schema):
    detail: str


class CategoryOut(Schema):
    id: UUID = Field(alias="code")
    name: str
    ack_limit: int
    ack_unit: str
    close_days: int


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    unit: str | None = None
    text: str

    @staticmethod
    def resolve_unit(event) -> str | None:
        return event.unit.name if event.unit_id else None


class RequestItem(Schema):
    id: UUID = Field(alias="code")
    number: str
    title: str
    category: str = Field(alias="category.name")
    enterprise: str = Field(alias="enterprise.name")
    unit: str = Field(alias="unit.name")
    state: str
    raised_at: datetime.datetime
    ack_due: datetime.datetime
    due: datetime.datetime
    overdue: bool
    satisfaction: str = ""

    @staticmethod
    def resolve_overdue(req: ServiceRequest) -> bool:
        return req.is_overdue(timezone.now())


class RequestDetail(RequestItem):
    description: str
    project: str | None = None
    acknowledged_at: datetime.datetime | None = None
    replied_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    reply: str
    reopen_count: int
    ack_late: bool
    reply_late: bool
    events: list[EventOut]

    @staticmethod
    def resolve_project(req: ServiceRequest) -> str | None:
        return req.project.name if req.project_id else None

    @staticmethod
    def resolve_events(req: ServiceRequest):
        return list(req.events.select_related("unit"))


class RequestFilters(Schema):
    state: str | None = Field(None, description="submitted, in_progress, replied, reopened, closed")
    overdue: bool = False
    unit: UUID | None = None
    category: UUID | None = None


class RequestIn(Schema):
    category: UUID
    title: str
    description: str
    enterprise: UUID | None = Field(None, description="Staff only; an enterprise account raises for its own")
    project: UUID | None = None
    unit: UUID | None = Field(None, description="Staff only; default: the category's unit")
    contact_name: str = ""


class ReplyIn(Schema):
    text: str


class RateIn(Schema):
    satisfaction: str = Field(description="satisfied, basic or unsatisfied")
    comment: str = ""


def _require(user) -> None:
    if not (access.is_staff_reader(user) or access.enterprise_account(user) is not None):
        raise HttpError(403, "Your role has no access to service requests.")


def _get(request, code: UUID) -> ServiceRequest:
    _require(request.auth)
    try:
        return access.get_visible(request.auth, code)
    except Http404:
        raise HttpError(404, "Not found.") from None


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this request.") from None
    except services.DeskError as exc:
        raise HttpError(422, exc.message) from None


@router.get("/categories", response={200: list[CategoryOut], 403: Message}, summary="Request categories")
def list_categories(request):
    _require(request.auth)
    return Category.objects.filter(is_active=True)


@router.get("", response={200: list[RequestItem], 403: Message}, summary="Service requests")
@paginate(Pages, page_size=50)
def list_requests(request, filters: Query[RequestFilters]):
    _require(request.auth)
    requests = ServiceRequest.objects.visible_to(request.auth).for_list()
    if filters.state:
        requests = requests.filter(state=filters.state)
    if filters.overdue:
        requests = requests.overdue()
    if filters.unit:
        requests = requests.filter(unit__code=filters.unit)
    if filters.category:
        requests = requests.filter(category__code=filters.category)
    return requests


@router.get("/{code}", response={200: RequestDetail, 403: Message, 404: Message}, summary="A service request")
def get_request(request, code: UUID):
    return _get(request, code)


@router.post("", response={201: RequestDetail, 403: Message, 404: Message, 422: Message},
             summary="Raise a service request")  # fmt: skip
def create_request(request, body: RequestIn):
    user = request.auth
    _require(user)
    category = get_object_or_404(Category, code=body.category)
    account = access.enterprise_account(user)
    if account is not None:
        enterprise, unit = account.enterprise, None
    else:
        if body.enterprise is None:
            raise HttpError(422, "Name the enterprise.")
        enterprise = get_object_or_404(Enterprise, code=body.enterprise)
        unit = get_object_or_404(Unit, code=body.unit) if body.unit else None
    project = get_object_or_404(Project, code=body.project) if body.project else None
    req = _call(services.raise_request, actor=user, category=category, enterprise=enterprise, unit=unit,
                project=project, title=body.title, description=body.description, contact_name=body.contact_name,
                channel=Channel.API)  # fmt: skip
    return 201, req


@router.post("/{code}/acknowledge", response={200: RequestDetail, 403: Message, 404: Message, 422: Message},
             summary="Acknowledge (签收)")  # fmt: skip
def acknowledge(request, code: UUID):
    req = _get(request, code)
    return _call(services.acknowledge, actor=request.auth, request=req)


@router.post("/{code}/reply", response={200: RequestDetail, 403: Message, 404: Message, 422: Message},
             summary="Reply to the enterprise")  # fmt: skip
def reply(request, code: UUID, body: ReplyIn):
    req = _get(request, code)
    return _call(services.reply, actor=request.auth, request=req, text=body.text)


@router.post("/{code}/rate", response={200: RequestDetail, 403: Message, 404: Message, 422: Message},
             summary="Rate the reply (the enterprise)")  # fmt: skip
def rate(request, code: UUID, body: RateIn):
    req = _get(request, code)
    return _call(services.rate, actor=request.auth, request=req, satisfaction=body.satisfaction,
                 comment=body.comment)  # fmt: skip


class TransferIn(Schema):
    unit: UUID
    reason: str


class ExtensionIn(Schema):
    days: int = Field(ge=1, le=30, description="Extra working days")
    reason: str


@router.post(
    "/{code}/transfer",
    response={200: RequestDetail, 403: Message, 404: Message, 422: Message},
    summary="Transfer to another unit (the handling unit or the supervision office)",
)
def transfer(request, code: UUID, body: TransferIn):
    req = _get(request, code)
    unit = get_object_or_404(Unit, code=body.unit)
    return _call(services.transfer, actor=request.auth, request=req, unit=unit, reason=body.reason)


@router.post(
    "/{code}/extension",
    response={200: RequestDetail, 403: Message, 404: Message, 422: Message},
    summary="Request an extension (only before the time limit)",
)
def request_extension(request, code: UUID, body: ExtensionIn):
    req = _get(request, code)
    _call(services.request_extension, actor=request.auth, request=req, days=body.days, reason=body.reason)
    req.refresh_from_db()
    return req
