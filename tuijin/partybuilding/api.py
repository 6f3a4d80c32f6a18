"""双报到 endpoints of the JSON API: the needs a member can see and claim, and their service records.

Reads are scoped like the pages (`access`); a need the caller may not see answers 404. Only party members of a
unit claim and log service (else 403); 409 says why the state does not allow it now; 422 names each invalid
field — checked by the same form as the web page, so the rules and messages are the same."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from tuijin.core.pagination import BoundedPageNumberPagination
from tuijin.tasks.api import _request_body, _validated
from tuijin.tasks.schemas import Message, ValidationErrors

from . import services_service as services
from .access import get_visible, order_open_first, scope_of, visible_needs
from .forms import ServiceRecordForm
from .models import Claim, Need, ServiceRecord
from .services import PartyError

router = Router(tags=["party building"])

PAGE_SIZE = 50


class NeedOut(Schema):
    id: UUID
    community: str
    kind: Need.Kind
    title: str
    description: str
    post: str | None
    needed_on: datetime.date
    places: int
    places_left: int
    state: Need.State
    claimed_by_me: bool

    @staticmethod
    def resolve_id(need: Need) -> UUID:
        return need.code

    @staticmethod
    def resolve_community(need: Need) -> str:
        return str(need.community)

    @staticmethod
    def resolve_post(need: Need) -> str | None:
        return need.post.name if need.post else None

    @staticmethod
    def resolve_claimed_by_me(need: Need, context) -> bool:
        request = context["request"]
        if not hasattr(request, "_party_claims"):
            request._party_claims = set(
                Claim.objects.filter(member=request.auth, withdrawn_at__isnull=True).values_list(
                    "need_id", flat=True
                )
            )
        return need.pk in request._party_claims


class RecordOut(Schema):
    id: UUID
    community: str
    unit: str
    need: UUID | None
    served_on: datetime.date
    hours: Decimal
    activity: str
    note: str
    state: ServiceRecord.State
    reject_reason: str

    @staticmethod
    def resolve_id(service: ServiceRecord) -> UUID:
        return service.code

    @staticmethod
    def resolve_community(service: ServiceRecord) -> str:
        return str(service.community)

    @staticmethod
    def resolve_unit(service: ServiceRecord) -> str:
        return service.unit.name

    @staticmethod
    def resolve_need(service: ServiceRecord) -> UUID | None:
        return service.need.code if service.need_id else None


class RecordIn(Schema):
    served_on: datetime.date
    hours: Decimal
    activity: str
    community: UUID | None = None
    need: UUID | None = None
    note: str = ""


def _enter(user):
    scope = scope_of(user)
    if not scope.enters:
        raise HttpError(403, _("Party building is not open to your role."))
    return scope


def _member(user):
    if not scope_of(user).is_member:
        raise HttpError(403, _("Only party members of a unit can do this."))


class NeedFilters(Schema):
    state: Need.State | None = None


@router.get("/needs", response={200: list[NeedOut], 403: Message}, summary="Needs")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_needs(request, filters: Query[NeedFilters]):
    """Needs the caller can see: a member those of the communities where they (or their unit) are registered and
    accepted; community staff their community's; the office and leaders all. Open needs first, by date.
    Filter by `state` (open, done, cancelled)."""
    _enter(request.auth)
    needs = visible_needs(request.auth).select_related("community", "post")
    if filters.state:
        needs = needs.filter(state=filters.state)
    return order_open_first(needs)


@router.post(
    "/needs/{code}/claim",
    response={200: NeedOut, 403: Message, 404: Message, 409: Message},
    summary="Claim a need (认领)",
    description="Take one place of an open need. 404 when the caller cannot see it, 403 when the caller is not "
    "a party member of a unit, 409 when it is full, closed, past, or already claimed by the caller.",
)
def claim(request, code: UUID):
    _enter(request.auth)
    need = get_visible(visible_needs(request.auth).select_related("community", "post"), code)
    _member(request.auth)
    try:
        services.claim_need(actor=request.auth, need=need)
    except PartyError as exc:
        return Status(409, {"detail": str(exc)})
    return Need.objects.select_related("community", "post").get(pk=need.pk)


@router.post(
    "/records",
    response={201: RecordOut, 400: Message, 403: Message, 409: Message, 422: ValidationErrors},
    summary="Log service",
    description="A member logs service given in a community: `served_on`, `hours` (0.5 to 24, in half hours), "
    "`activity`, and `community` (id) or `need` (id of a need the caller claimed). It counts once the community "
    "confirms it. 403 for callers who are not party members of a unit; 409 when the community does not take "
    "the member's service or the day's hours would pass 24.",
    openapi_extra=_request_body(RecordIn),
)
def create_record(request):
    _enter(request.auth)
    _member(request.auth)
    data = _validated(ServiceRecordForm, request, user=request.auth)
    try:
        service = services.submit_record(actor=request.auth, **data)
    except PartyError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, ServiceRecord.objects.select_related("community", "unit", "need").get(pk=service.pk))


@router.get("/records/mine", response={200: list[RecordOut], 403: Message}, summary="My service records")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def my_records(request):
    """The caller's own service records, newest first, with the community's decision."""
    _enter(request.auth)
    records = ServiceRecord.objects.filter(member=request.auth).select_related("community", "unit", "need")
    return records.order_by("-served_on", "-id")
