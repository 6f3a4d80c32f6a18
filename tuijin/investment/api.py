"""Investment endpoints of the JSON API: projects and enterprises, read-only.

Scoped like the pages (access.py): supervisors, leaders and city-wide investment officers see every project; a
sector's investment officers and unit users see the sector's; 三员, applicants and others get 403. A project or
enterprise out of sight answers 404. Amounts are strings of decimals in 万元; `counted_amount` is what the
project adds to signed totals under the counting rules (models.py). Contacts' phones are shown in full only to
investment officers, masked to everyone else.
"""

import datetime
import enum
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from tuijin.core import privacy
from tuijin.core.pagination import BoundedPageNumberPagination

from . import access
from .models import COUNTING_RULES, AgreementType, Channel, Origin, Project, ProjectKind, Stage

router = Router(tags=["investment"])

PAGE_SIZE = 50


def _choices(name: str, choices) -> type[enum.Enum]:
    return enum.Enum(name, {member.name: member.value for member in choices}, type=str)  # type: ignore[return-value]


StageOut = _choices("ProjectStage", Stage)
ChannelOut = _choices("ProjectChannel", Channel)
KindOut = _choices("ProjectKind", ProjectKind)
OriginOut = _choices("EnterpriseOrigin", Origin)
AgreementOut = _choices("AgreementType", AgreementType)


class Message(Schema):
    detail: str


class EnterpriseRef(Schema):
    id: UUID = Field(alias="code")
    name: str


class ProjectItem(Schema):
    id: UUID = Field(alias="code")
    name: str
    enterprise: EnterpriseRef
    sector: str = Field(alias="sector.name")
    category: str = Field(alias="category.name")
    channel: ChannelOut
    venture_firm: str | None = None
    kind: KindOut
    stage: StageOut
    stage_since: datetime.date
    planned_investment: Decimal | None = Field(None, description="万元")
    contract_amount: Decimal | None = Field(None, description="万元, the latest agreement")
    counted_amount: Decimal | None = Field(None, description="万元, what counts under the counting rules")
    funds_arrived: Decimal | None = Field(None, description="万元")
    first_signed_on: datetime.date | None = Field(None, description="The date it counts as signed")
    officer: str | None = None
    next_step: str
    next_step_due: datetime.date | None = None
    next_step_overdue: bool

    @staticmethod
    def resolve_venture_firm(project: Project) -> str | None:
        return project.venture_firm.name if project.venture_firm_id else None

    @staticmethod
    def resolve_officer(project: Project) -> str | None:
        return str(project.officer) if project.officer_id else None

    @staticmethod
    def resolve_next_step_overdue(project: Project) -> bool:
        return project.next_step_overdue(timezone.localdate())


class StageChangeOut(Schema):
    from_stage: StageOut | None = None
    to_stage: StageOut
    date: datetime.date
    moved_back: bool = Field(alias="is_backward")
    reason: str

    @staticmethod
    def resolve_from_stage(change) -> str | None:
        return change.from_stage or None


class AgreementItem(Schema):
    agreement_type: AgreementOut
    signed_on: datetime.date
    amount: Decimal = Field(description="万元")
    is_first: bool = Field(description="Only the first signing makes the project count")


class FollowUpOut(Schema):
    date: datetime.date
    method: str
    content: str
    next_step: str
    next_step_due: datetime.date | None = None


class ProjectDetail(ProjectItem):
    industry: str
    description: str
    responsible_leader: str
    increment_amount: Decimal | None = Field(None, description="万元, for a capital increase or an upgrade")
    registered_capital: Decimal | None = Field(None, description="万元")
    agreement_type: AgreementOut | None = None
    registered_on: datetime.date | None = None
    landed_on: datetime.date | None = None
    started_on: datetime.date | None = None
    operating_on: datetime.date | None = None
    dropped_on: datetime.date | None = None
    dropped_reason: str
    base_project: UUID | None = None
    anchor_project: UUID | None = None
    stage_changes: list[StageChangeOut]
    agreements: list[AgreementItem]
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_agreement_type(project: Project) -> str | None:
        return project.agreement_type or None

    @staticmethod
    def resolve_base_project(project: Project) -> UUID | None:
        return project.base_project.code if project.base_project_id else None

    @staticmethod
    def resolve_anchor_project(project: Project) -> UUID | None:
        return project.anchor_project.code if project.anchor_project_id else None

    @staticmethod
    def resolve_stage_changes(project: Project):
        return list(project.stage_changes.all())

    @staticmethod
    def resolve_agreements(project: Project):
        return list(project.agreements.all())

    @staticmethod
    def resolve_follow_ups(project: Project):
        return list(project.follow_ups.all()[:50])


class ProjectFilters(Schema):
    stage: Stage | None = None
    sector: str | None = Field(None, description="Name or short name of the sector")
    category: str | None = Field(None, description="Name of the category")
    channel: Channel | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Year of the first signing")
    q: str | None = Field(None, max_length=100, description="Words of the project or enterprise name")


def _require(request) -> None:
    if not access.can_use_pipeline(request.auth):
        raise HttpError(403, "Your role has no access to the investment pipeline.")


@router.get("/projects", response={200: list[ProjectItem], 403: Message}, summary="Investment projects")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_projects(request, filters: Query[ProjectFilters]):
    """Projects the caller may see, newest stage first. See `/projects/totals` for counted totals."""
    _require(request)
    return _filtered(request, filters).for_list().order_by("-stage_since", "-id")


def _filtered(request, filters: ProjectFilters):
    projects = Project.objects.visible_to(request.auth)
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.sector:
        projects = projects.filter(Q(sector__name=filters.sector) | Q(sector__short_name=filters.sector))
    if filters.category:
        projects = projects.filter(category__name=filters.category)
    if filters.channel:
        projects = projects.filter(channel=filters.channel)
    if filters.year:
        projects = projects.filter(first_signed_on__year=filters.year)
    if filters.q:
        q = filters.q.strip()
        projects = projects.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return projects


class Totals(Schema):
    count: int = Field(description="Projects counted as signed")
    amount: Decimal = Field(description="万元")
    rules: list[str]


@router.get("/projects/totals", response={200: Totals, 403: Message}, summary="Counted signings")
def project_totals(request, filters: Query[ProjectFilters]):
    """The signed count and amount over the filtered projects, by the counting rules (`rules`)."""
    _require(request)
    totals = _filtered(request, filters).counted_signings().signed_total()
    return {**totals, "rules": [str(rule) for rule in COUNTING_RULES]}


@router.get(
    "/projects/{code}",
    response={200: ProjectDetail, 403: Message, 404: Message},
    summary="Investment project",
)
def get_project(request, code: UUID):
    _require(request)
    project = access.get_visible_project(request.auth, code)
    return Project.objects.for_list().select_related("base_project", "anchor_project").get(pk=project.pk)


# ——— enterprises ———


class EnterpriseItem(Schema):
    id: UUID = Field(alias="code")
    name: str
    credit_code: str
    industry: str
    origin: OriginOut | None = None
    projects: int = Field(description="Projects of it the caller can see")

    @staticmethod
    def resolve_origin(enterprise) -> str | None:
        return enterprise.origin or None

    @staticmethod
    def resolve_projects(enterprise) -> int:
        return enterprise.n_projects


class ContactOut(Schema):
    name: str
    position: str
    phone: str = Field(description="In full for investment officers, masked for everyone else")


class EnterpriseDetail(EnterpriseItem):
    address: str
    contacts: list[ContactOut]
    project_list: list[ProjectItem] = Field(description="Its projects the caller can see")

    @staticmethod
    def resolve_contacts(enterprise, context) -> list[dict]:
        user = context["request"].auth
        return [{"name": c.name, "position": c.position, "phone": privacy.display(user, c, "phone")}
                for c in enterprise.contacts.all()]  # fmt: skip

    @staticmethod
    def resolve_project_list(enterprise, context) -> list[Project]:
        user = context["request"].auth
        return list(Project.objects.visible_to(user).filter(enterprise=enterprise).for_list())


class EnterpriseFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name, or the exact credit code")
    origin: Origin | None = None


def _enterprises(request):
    visible = Project.objects.visible_to(request.auth)
    return access.enterprises_visible_to(request.auth).annotate(
        n_projects=Count("projects", filter=Q(projects__in=visible), distinct=True)
    )


@router.get("/enterprises", response={200: list[EnterpriseItem], 403: Message}, summary="Enterprises")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE)
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    _require(request)
    enterprises = _enterprises(request)
    if filters.q:
        q = filters.q.strip()
        enterprises = enterprises.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))
    if filters.origin:
        enterprises = enterprises.filter(origin=filters.origin)
    return enterprises.order_by("name", "id")


@router.get(
    "/enterprises/{code}", response={200: EnterpriseDetail, 403: Message, 404: Message}, summary="Enterprise"
)
def get_enterprise(request, code: UUID):
    _require(request)
    enterprise = _enterprises(request).filter(code=code).first()
    if enterprise is None:
        raise HttpError(404, "Not found.")
    return enterprise
