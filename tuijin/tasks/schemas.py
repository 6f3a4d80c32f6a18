"""Shapes of tasks, plans and reports in the JSON API. Public ids are UUID `code`s, never primary keys."""

import datetime
import enum
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from .access import allowed_actions
from .models import (
    Cadence,
    Evidence,
    ExtensionRequest,
    LimitKind,
    Plan,
    SourceKind,
    Task,
    TaskState,
    TaskStatus,
)


def _choices(name: str, choices: type[enum.Enum]) -> type[enum.Enum]:
    """The model's choices under a name of their own: OpenAPI would merge Plan.Kind and Evidence.Kind as "Kind"."""
    return enum.Enum(name, {member.name: member.value for member in choices}, type=str)  # type: ignore[return-value]


PlanKind = _choices("PlanKind", Plan.Kind)
EvidenceKind = _choices("EvidenceKind", Evidence.Kind)
ExtensionState = _choices("ExtensionState", ExtensionRequest.State)


class Message(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(description='Where the error is, e.g. ["body", "progress"].')
    msg: str = Field(description="What is wrong, in the caller's language (Accept-Language).")
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


# ——— plans ———


class PlanCounts(Schema):
    total: int
    normal: int
    warning: int
    overdue: int
    closed: int


class PlanOut(Schema):
    id: UUID
    name: str
    year: int
    kind: PlanKind
    cadence: Cadence
    counts: PlanCounts = Field(description="Tasks of this plan the caller can see, by status.")

    @staticmethod
    def resolve_id(plan: Plan) -> UUID:
        return plan.code

    @staticmethod
    def resolve_counts(plan) -> dict:
        # Annotated by the endpoint, so that the list costs one query whatever its length.
        return {name: getattr(plan, f"n_{name}") for name in PlanCounts.model_fields}


# ——— tasks ———


class TaskItem(Schema):
    id: UUID = Field(description="The task's public code.")
    number: str
    title: str
    plan: str
    lead_units: list[str]
    supporting_units: list[str]
    deadline: datetime.date | None
    limit_text: str = Field(description="The time limit as written in the list, e.g. 年底前.")
    state: TaskState
    status: TaskStatus
    progress: int

    @staticmethod
    def resolve_id(task: Task) -> UUID:
        return task.code

    @staticmethod
    def resolve_plan(task: Task) -> str:
        return task.plan.name

    @staticmethod
    def resolve_lead_units(task: Task) -> list[str]:
        return [unit.name for unit in task.lead_units]

    @staticmethod
    def resolve_supporting_units(task: Task) -> list[str]:
        return [unit.name for unit in task.supporting_units]


class MilestoneOut(Schema):
    date: datetime.date
    text: str
    done_at: datetime.date | None


class EvidenceOut(Schema):
    id: UUID
    name: str
    kind: EvidenceKind
    size: int
    taken_at: datetime.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    reused: bool = Field(description="The same file was uploaded before (an old photo used again).")

    @staticmethod
    def resolve_id(evidence: Evidence) -> UUID:
        return evidence.code

    @staticmethod
    def resolve_name(evidence: Evidence) -> str:
        return evidence.original_name

    @staticmethod
    def resolve_reused(evidence: Evidence) -> bool:
        return evidence.reused_from_id is not None


class ReportOut(Schema):
    id: UUID
    unit: str
    author: str
    period: str
    text: str
    progress: int | None
    value: Decimal | None
    is_late: bool
    is_consolidated: bool
    created_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_id(report) -> UUID:
        return report.code

    @staticmethod
    def resolve_unit(report) -> str:
        return report.unit.name

    @staticmethod
    def resolve_author(report) -> str:
        return str(report.author)

    @staticmethod
    def resolve_evidence(report) -> list:
        return list(report.evidence.all())


class ExtensionOut(Schema):
    id: int = Field(description="Use with POST /extensions/{id}/decision.")
    state: ExtensionState
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    requested_by: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def resolve_id(extension: ExtensionRequest) -> int:
        return extension.pk

    @staticmethod
    def resolve_requested_by(extension: ExtensionRequest) -> str:
        return str(extension.requested_by)


class TaskDetail(TaskItem):
    plan_id: UUID
    parent_id: UUID | None
    category: str
    target: str
    measure_quantity: Decimal | None
    measure_unit: str
    measured_value: Decimal | None
    leader: str = Field(description="Responsible leader (责任领导).")
    owner: str = Field(description="Responsible person (责任人).")
    source_kind: SourceKind
    source_ref: str = Field(description="Document, minute or instruction number of the source.")
    limit_kind: LimitKind
    limit_note: str
    original_deadline: datetime.date | None = Field(
        description="The deadline before the first approved extension."
    )
    status_reason: str = Field(description="Why the task has its status, in the caller's language.")
    tags: list[str]
    milestones: list[MilestoneOut]
    latest_report: ReportOut | None
    extensions: list[ExtensionOut]
    allowed_actions: list[str] = Field(
        description="What the caller may do now: acknowledge, report, request_closure, request_extension, "
        "close, return, decide_extension, edit."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_plan_id(task: Task) -> UUID:
        return task.plan.code

    @staticmethod
    def resolve_parent_id(task: Task) -> UUID | None:
        return task.parent.code if task.parent_id else None

    @staticmethod
    def resolve_tags(task: Task) -> list[str]:
        return task.tag_list

    @staticmethod
    def resolve_milestones(task: Task) -> list:
        return list(task.milestones.all())

    @staticmethod
    def resolve_latest_report(task: Task):
        if task.latest_report_id is None:
            return None
        return (
            task.reports.select_related("unit", "author")
            .prefetch_related("evidence")
            .get(pk=task.latest_report_id)
        )

    @staticmethod
    def resolve_extensions(task: Task) -> list:
        return list(task.extensions.select_related("requested_by"))

    @staticmethod
    def resolve_allowed_actions(task: Task, context) -> list[str]:
        return sorted(allowed_actions(context["request"].auth, task))

    @staticmethod
    def resolve_status_reason(task: Task) -> str:
        return task.status_reason_display


# ——— input (documented here; validated by the same Django forms as the web pages) ———


class ReportIn(Schema):
    text: str = Field(max_length=5000, description="Progress this period.")
    progress: int | None = Field(None, ge=0, le=100, description="Percent complete; cannot go back.")
    value: Decimal | None = Field(None, ge=0, description="Measured value in the task's measure unit.")


class ClosureIn(Schema):
    note: str = Field(max_length=2000, description="What was achieved.")


class CloseIn(Schema):
    note: str = Field("", max_length=1000, description="Verification note.")


class ReturnIn(Schema):
    reason: str = Field(max_length=1000)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str = Field(max_length=1000)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
