"""Writes to the investment pipeline. Each function checks, validates, saves and audits in one transaction; moves
between stages also recompute the task measures bound to the pipeline (measures.py) in that transaction.

Errors the user can fix raise `PipelineError(message, field=…)`; the views and the API show the message at the
field it names.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.lib import crypto
from tuijin.lib.credit_code import credit_code_problem, normalise_credit_code
from tuijin.lib.masking import mask_phone
from tuijin.org.models import Role

from . import access, measures
from .models import (
    STAGE_DATE_FIELDS,
    STAGE_ORDER,
    Agreement,
    AgreementType,
    Contact,
    Enterprise,
    FollowUp,
    Fund,
    MeasureBinding,
    Policy,
    Project,
    ProjectCategory,
    ProjectEvent,
    ProjectKind,
    Stage,
    StageChange,
    VentureFirm,
    stage_rank,
)

SIMILAR_NAME_RATIO = 0.85
PHONE_INDEX_PURPOSE = "investment.contact.phone"


class PipelineError(Exception):
    """A write the rules refuse; `message` is for the user, `field` the form field it concerns (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DuplicateEnterprise(PipelineError):
    """Enterprises with a very similar name exist; the user must confirm this is another one."""

    def __init__(self, similar: list[tuple[Enterprise, float]]):
        names = "、".join(e.name for e, _ratio in similar)
        super().__init__(
            _("Enterprises with a very similar name exist: %(names)s. Open them to check, or confirm that this is "
              "a different enterprise.") % {"names": names},
            field="name",
        )  # fmt: skip
        self.similar = similar


# ——— enterprises ———

_LEGAL_FORMS = re.compile(r"(股份有限公司|有限责任公司|有限公司|股份公司|股份|公司)")
_NOISE = re.compile(r"[\s()（）\[\]【】·.,，、\-—_]")


def normalise_name(name: str) -> str:
    """The enterprise name for comparisons: half-width, without legal-form words, brackets, spaces, punctuation."""
    text = unicodedata.normalize("NFKC", name or "").upper()
    return _LEGAL_FORMS.sub("", _NOISE.sub("", text))[:200]


@dataclass
class Duplicates:
    same_code: Enterprise | None
    similar: list[tuple[Enterprise, float]]


def find_duplicates(*, name: str, credit_code: str = "", exclude: Enterprise | None = None) -> Duplicates:
    """The enterprise with the same credit code, and those whose normalised names are at least
    SIMILAR_NAME_RATIO alike (difflib), best first."""
    others = Enterprise.objects.all()
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    code = normalise_credit_code(credit_code)
    same_code = others.filter(credit_code=code).first() if code else None
    key = normalise_name(name)
    similar: list[tuple[int, float]] = []
    if key:
        # Names are short and the register holds thousands at most: comparing in Python is fast enough.
        matcher = difflib.SequenceMatcher(a=key, autojunk=False)
        for pk, other_key in others.values_list("pk", "name_key").iterator(chunk_size=2000):
            if not other_key:
                continue
            matcher.set_seq2(other_key)
            if matcher.real_quick_ratio() < SIMILAR_NAME_RATIO or matcher.quick_ratio() < SIMILAR_NAME_RATIO:
                continue
            ratio = 1.0 if other_key == key else matcher.ratio()
            if ratio >= SIMILAR_NAME_RATIO:
                similar.append((pk, ratio))
    similar.sort(key=lambda item: -item[1])
    found = Enterprise.objects.in_bulk([pk for pk, _r in similar[:10]])
    return Duplicates(
        same_code=same_code,
        similar=[(found[pk], ratio) for pk, ratio in similar[:10] if pk in found and found[pk] != same_code],
    )


def _check_credit_code(code: str, *, required: bool = False) -> str:
    code = normalise_credit_code(code)
    if not code:
        if required:
            raise PipelineError(_("Enter the unified social credit code."), field="credit_code")
        return ""
    problem = credit_code_problem(code)
    if problem:
        raise PipelineError(problem, field="credit_code")
    return code


ENTERPRISE_FIELDS = ["name", "credit_code", "industry", "origin", "address", "note"]


@transaction.atomic
def create_enterprise(
    *, actor, name: str, credit_code: str = "", industry: str = "", origin: str = "", address: str = "",
    note: str = "", confirm_duplicate: bool = False, is_illustrative: bool = False,
) -> Enterprise:  # fmt: skip
    """A new enterprise. The same credit code is refused; a very similar name needs `confirm_duplicate`."""
    if not access.is_officer(actor):
        raise PipelineError(_("Only investment officers can add enterprises."))
    name = (name or "").strip()
    if not name:
        raise PipelineError(_("Enter the enterprise's name."), field="name")
    code = _check_credit_code(credit_code)
    dupes = find_duplicates(name=name, credit_code=code)
    if dupes.same_code is not None:
        raise PipelineError(
            _("%(name)s already has this credit code.") % {"name": dupes.same_code.name}, field="credit_code"
        )
    if dupes.similar and not confirm_duplicate:
        raise DuplicateEnterprise(dupes.similar)
    enterprise = Enterprise.objects.create(
        name=name, name_key=normalise_name(name), credit_code=code, industry=industry, origin=origin,
        address=address, note=note, created_by=actor, is_illustrative=is_illustrative,
    )  # fmt: skip
    after = snapshot(enterprise, ENTERPRISE_FIELDS)
    if dupes.similar:
        after["confirmed_not_duplicate_of"] = [e.name for e, _r in dupes.similar]
    record(actor=actor, action="investment.enterprise.create", obj=enterprise, after=after)
    return enterprise


@transaction.atomic
def update_enterprise(
    *, actor, enterprise: Enterprise, confirm_duplicate: bool = False, **fields
) -> Enterprise:
    if not access.is_officer(actor):
        raise PipelineError(_("Only investment officers can change enterprises."))
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    if "credit_code" in fields:
        fields["credit_code"] = _check_credit_code(fields["credit_code"])
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.name = enterprise.name.strip()
    dupes = find_duplicates(name=enterprise.name, credit_code=enterprise.credit_code, exclude=enterprise)
    if dupes.same_code is not None:
        raise PipelineError(
            _("%(name)s already has this credit code.") % {"name": dupes.same_code.name}, field="credit_code"
        )
    if dupes.similar and not confirm_duplicate and enterprise.name != before["name"]:
        raise DuplicateEnterprise(dupes.similar)
    enterprise.name_key = normalise_name(enterprise.name)
    enterprise.save()
    record(actor=actor, action="investment.enterprise.update", obj=enterprise, before=before,
           after=snapshot(enterprise, ENTERPRISE_FIELDS))  # fmt: skip
    return enterprise


def _contact_snapshot(contact: Contact) -> dict:
    return {"name": contact.name, "position": contact.position, "phone": mask_phone(contact.phone)}


@transaction.atomic
def save_contact(
    *, actor, enterprise: Enterprise, name: str, position: str = "", phone: str = "", contact: Contact | None = None
) -> Contact:  # fmt: skip
    """Add a contact person, or change one (`contact`). The phone is sealed; the audit row holds it masked."""
    if not access.is_officer(actor):
        raise PipelineError(_("Only investment officers can change contacts."))
    before = _contact_snapshot(contact) if contact else None
    contact = contact or Contact(enterprise=enterprise)
    contact.name, contact.position, contact.phone = name.strip(), position.strip(), phone.strip()
    contact.phone_index = (
        crypto.blind_index(contact.phone, purpose=PHONE_INDEX_PURPOSE) if contact.phone else ""
    )
    contact.save()
    record(actor=actor, action="investment.contact.save", obj=contact, before=before,
           after=_contact_snapshot(contact))  # fmt: skip
    return contact


@transaction.atomic
def delete_contact(*, actor, contact: Contact) -> None:
    if not access.is_officer(actor):
        raise PipelineError(_("Only investment officers can change contacts."))
    before = _contact_snapshot(contact)
    record(actor=actor, action="investment.contact.delete", obj=contact, before=before)
    contact.delete()


# ——— projects ———

PROJECT_FIELDS = [
    "name", "enterprise_id", "sector_id", "category_id", "channel", "venture_firm_id", "fund_id", "anchor_project_id",
    "kind", "base_project_id", "industry", "description", "planned_investment", "contract_amount", "increment_amount",
    "counted_amount", "funds_arrived", "registered_capital", "responsible_leader", "officer_id", "stage",
    "stage_since", "agreement_type", "agreement_date", "first_signed_on", "registered_on", "landed_on", "started_on",
    "operating_on", "dropped_on", "dropped_reason",
]  # fmt: skip


def _project_snapshot(project: Project) -> dict:
    data = snapshot(project, PROJECT_FIELDS)
    data["service_team"] = sorted(project.service_team.values_list("pk", flat=True)) if project.pk else []
    return data


def _event(project: Project, kind: str, actor, note: str = "", **data) -> ProjectEvent:
    return ProjectEvent.objects.create(project=project, kind=kind, actor=actor, note=note, data=data)


def _check_links(project: Project) -> None:
    """Relations that must agree with each other; the form checks them too, the service is the last word."""
    if project.fund_id and project.venture_firm_id and project.fund.firm_id != project.venture_firm_id:
        raise PipelineError(_("This fund is not one of the chosen firm's."), field="fund")
    if project.fund_id and not project.venture_firm_id:
        project.venture_firm_id = project.fund.firm_id
    if project.kind in (ProjectKind.INCREASE, ProjectKind.UPGRADE):
        if not project.base_project_id:
            raise PipelineError(
                _("Choose the project this capital increase or upgrade adds to."), field="base_project"
            )
        if project.base_project.enterprise_id != project.enterprise_id:
            raise PipelineError(_("The base project must be of the same enterprise."), field="base_project")
    if project.officer_id and not project.officer.has_role(Role.INVESTMENT):
        raise PipelineError(_("The officer must be an investment officer."), field="officer")
    if project.pk and project.base_project_id == project.pk:
        raise PipelineError(_("A project cannot add to itself."), field="base_project")
    if project.anchor_project_id:
        if project.pk and project.anchor_project_id == project.pk:
            raise PipelineError(_("A project cannot have brought itself."), field="anchor_project")
        if project.anchor_project.landed_on is None:
            raise PipelineError(
                _("The anchor project must be one that has landed (落地/入驻)."), field="anchor_project"
            )


def _check_money(**amounts) -> None:
    for name, value in amounts.items():
        if value is not None and value < 0:
            raise PipelineError(_("Amounts cannot be negative."), field=name)


@transaction.atomic
def create_project(
    *, actor, name: str, enterprise: Enterprise, sector, category: ProjectCategory, stage: str = Stage.LEAD,
    stage_since: datetime.date | None = None, service_team: Iterable = (), **fields,
) -> Project:  # fmt: skip
    """A new project at 线索 or 洽谈. Later stages are reached with `move_stage` (an importer creates the project,
    then replays its moves in date order)."""
    if not access.is_officer(actor):
        raise PipelineError(_("Only investment officers can add projects."))
    if not access.sectors_for(actor).filter(pk=sector.pk).exists():
        raise PipelineError(_("You cannot file projects in %(sector)s.") % {"sector": sector}, field="sector")
    if stage not in (Stage.LEAD, Stage.NEGOTIATING):
        raise PipelineError(_("A new project starts as a lead or in negotiation."), field="stage")
    today = timezone.localdate()
    stage_since = stage_since or today
    if stage_since > today:
        raise PipelineError(_("The date cannot be in the future."), field="stage_since")
    fields.pop("contract_amount", None)  # set by signing, never typed in
    _check_money(**{k: v for k, v in fields.items() if k in ("planned_investment", "funds_arrived",
                                                             "increment_amount")})  # fmt: skip
    project = Project(
        name=name.strip(), enterprise=enterprise, sector=sector, category=category, stage=stage,
        stage_since=stage_since, created_by=actor, **fields,
    )  # fmt: skip
    _check_links(project)
    project.save()
    project.service_team.set(list(service_team))
    StageChange.objects.create(project=project, from_stage="", to_stage=stage, date=stage_since, actor=actor)
    _event(project, ProjectEvent.Kind.CREATED, actor)
    record(actor=actor, action="investment.project.create", obj=project, after=_project_snapshot(project))
    return project


EDITABLE_FIELDS = {
    "name", "enterprise", "category", "channel", "venture_firm", "fund", "anchor_project", "kind", "base_project",
    "industry", "description", "planned_investment", "increment_amount", "funds_arrived", "registered_capital",
    "responsible_leader", "officer", "sector", "is_illustrative",
}  # fmt: skip


@transaction.atomic
def update_project(*, actor, project: Project, service_team: Iterable | None = None, **fields) -> Project:
    """Change a project's facts (not its stage: `move_stage`; not its contract amount: signing)."""
    if not access.can_edit_project(actor, project):
        raise PipelineError(_("You cannot change this project."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise PipelineError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if "sector" in fields and fields["sector"].pk != project.sector_id:
        if not access.sectors_for(actor).filter(pk=fields["sector"].pk).exists():
            raise PipelineError(_("You cannot file projects in %(sector)s.") % {"sector": fields["sector"]},
                                field="sector")  # fmt: skip
    _check_money(**{k: v for k, v in fields.items() if k in ("planned_investment", "funds_arrived",
                                                             "increment_amount", "registered_capital")})  # fmt: skip
    before = _project_snapshot(project)
    for name, value in fields.items():
        setattr(project, name, value)
    if project.kind == ProjectKind.NEW:
        project.base_project = None
        project.increment_amount = None
    if project.first_signed_on and project.kind != ProjectKind.NEW and project.increment_amount is None:
        raise PipelineError(
            _("A signed capital increase or upgrade needs the amount of the increase or upgrade."),
            field="increment_amount",
        )
    _check_links(project)
    project.save()
    if service_team is not None:
        project.service_team.set(list(service_team))
    after = _project_snapshot(project)
    changed = sorted(k for k, v in after.items() if before.get(k) != v)
    if changed:
        _event(project, ProjectEvent.Kind.UPDATED, actor, fields=changed)
        record(actor=actor, action="investment.project.update", obj=project, before=before, after=after)
        measures.refresh_for_project(project)
    return project


# ——— stages ———


def stage_requirements(project: Project, to_stage: str) -> list[str]:
    """The fields a move of this project to `to_stage` must give (besides the date)."""
    needed: list[str] = []
    backward = to_stage != Stage.DROPPED and (
        project.stage == Stage.DROPPED or stage_rank(to_stage) < stage_rank(project.stage)
    )
    if to_stage == Stage.SIGNED and not backward:
        needed += ["agreement_type", "contract_amount"]
        if project.kind != ProjectKind.NEW:
            needed.append("increment_amount")
    if to_stage == Stage.REGISTERED and not backward:
        needed.append("registered_capital")
    if to_stage == Stage.DROPPED or backward:
        needed.append("reason")
    return needed


def is_backward(project: Project, to_stage: str) -> bool:
    return to_stage != Stage.DROPPED and (
        project.stage == Stage.DROPPED or stage_rank(to_stage) < stage_rank(project.stage)
    )


@transaction.atomic
def move_stage(
    *, actor, project: Project, to_stage: str, date: datetime.date, reason: str = "",
    agreement_type: str = "", contract_amount: Decimal | None = None, increment_amount: Decimal | None = None,
    registered_capital: Decimal | None = None, note: str = "",
) -> StageChange:  # fmt: skip
    """Move the project to `to_stage` on `date`, with the fields that stage requires; record the move, audit it
    and recompute the bound task measures — all or nothing."""
    if not access.can_edit_project(actor, project):
        raise PipelineError(_("You cannot change this project."))
    original = project  # the caller's instance is refreshed at the end, so it never shows the stage before
    project = Project.objects.select_for_update().select_related("enterprise").get(pk=project.pk)
    if to_stage not in Stage.values:
        raise PipelineError(_("Unknown stage."), field="to_stage")
    if to_stage == project.stage:
        raise PipelineError(_("The project is already at this stage."), field="to_stage")
    today = timezone.localdate()
    if date is None:
        raise PipelineError(_("Give the date."), field="date")
    if date > today:
        raise PipelineError(_("The date cannot be in the future."), field="date")
    if date < project.stage_since:
        raise PipelineError(
            _("The date cannot be earlier than %(d)s, when the project entered its present stage.")
            % {"d": project.stage_since.isoformat()},
            field="date",
        )
    reason = (reason or "").strip()
    backward = is_backward(project, to_stage)
    if backward and not reason:
        raise PipelineError(_("Say why the project moves back."), field="reason")
    if to_stage == Stage.DROPPED and not reason:
        raise PipelineError(_("Say why the project is dropped."), field="reason")
    forward_past_signing = (
        not backward and stage_rank(to_stage) > stage_rank(Stage.SIGNED) and to_stage != Stage.DROPPED
    )
    if forward_past_signing and project.first_signed_on is None:
        raise PipelineError(
            _(
                "Record the signing (签约) first: a project cannot be registered, land, start or operate unsigned."
            ),
            field="to_stage",
        )
    before = _project_snapshot(project)
    data: dict = {}
    if to_stage == Stage.SIGNED and not backward:
        data = _sign(project, actor=actor, agreement_type=agreement_type, date=date, amount=contract_amount,
                     increment_amount=increment_amount, note=note)  # fmt: skip
    if to_stage == Stage.REGISTERED and not backward:
        problem = credit_code_problem(project.enterprise.credit_code)
        if problem or not project.enterprise.credit_code:
            raise PipelineError(
                _("Before registration, give the enterprise a valid unified social credit code: %(p)s")
                % {"p": problem or _("it has none yet.")},
                field="to_stage",
            )
        if registered_capital is None:
            raise PipelineError(_("Give the registered capital."), field="registered_capital")
        _check_money(registered_capital=registered_capital)
        project.registered_capital = registered_capital
        data["registered_capital"] = registered_capital
    if backward:
        # The stages above the new one did not happen after all — except the first signing, which counts once.
        for stage, field in STAGE_DATE_FIELDS.items():
            if stage != Stage.SIGNED and stage_rank(stage) > stage_rank(to_stage):
                setattr(project, field, None)
    elif to_stage in STAGE_DATE_FIELDS and to_stage != Stage.SIGNED:
        field = STAGE_DATE_FIELDS[to_stage]
        if getattr(project, field) is None:
            setattr(project, field, date)
    if to_stage == Stage.DROPPED:
        project.dropped_on, project.dropped_reason = date, reason[:500]
    elif project.stage == Stage.DROPPED:
        project.dropped_on, project.dropped_reason = None, ""
    change = StageChange.objects.create(
        project=project, from_stage=project.stage, to_stage=to_stage, date=date, is_backward=backward,
        reason=reason[:500], data={k: str(v) if v is not None else None for k, v in data.items()}, actor=actor,
    )  # fmt: skip
    project.stage, project.stage_since = to_stage, date
    project.save()
    record(actor=actor, action="investment.project.stage", obj=project, before=before,
           after=_project_snapshot(project) | {"reason": reason})  # fmt: skip
    measures.refresh_for_project(project)
    original.refresh_from_db()
    return change


def _sign(project: Project, *, actor, agreement_type: str, date: datetime.date, amount: Decimal | None,
          increment_amount: Decimal | None, note: str) -> dict:  # fmt: skip
    """Record an agreement on the project (in memory; the caller saves). Only the first makes it count."""
    if agreement_type not in AgreementType.values:
        raise PipelineError(_("Choose the type of agreement: framework or formal."), field="agreement_type")
    if amount is None:
        raise PipelineError(_("Give the contract amount."), field="contract_amount")
    _check_money(contract_amount=amount, increment_amount=increment_amount)
    if project.kind != ProjectKind.NEW:
        if increment_amount is None:
            raise PipelineError(
                _("Give the amount of the increase or upgrade: only that amount counts."),
                field="increment_amount",
            )
        if increment_amount > amount:
            raise PipelineError(
                _("The increase or upgrade cannot be larger than the contract amount."),
                field="increment_amount",
            )
        project.increment_amount = increment_amount
    first = project.first_signed_on is None
    Agreement.objects.create(
        project=project, agreement_type=agreement_type, signed_on=date, amount=amount, is_first=first,
        note=note[:300], created_by=actor,
    )  # fmt: skip
    if first:
        project.first_signed_on = date
    project.contract_amount = amount
    project.agreement_type, project.agreement_date = agreement_type, date
    return {"agreement_type": agreement_type, "contract_amount": amount, "increment_amount": increment_amount,
            "first_signing": first}  # fmt: skip


@transaction.atomic
def sign_again(
    *, actor, project: Project, agreement_type: str, date: datetime.date, amount: Decimal | None,
    increment_amount: Decimal | None = None, note: str = "",
) -> Agreement:  # fmt: skip
    """Another agreement on a signed project — a formal one after a framework one, or a re-signing. It updates the
    contract amount but never makes the project count again (counting rule 1)."""
    if not access.can_edit_project(actor, project):
        raise PipelineError(_("You cannot change this project."))
    original = project
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.first_signed_on is None:
        raise PipelineError(_("The project has not been signed yet: move it to 签约 first."))
    if project.stage == Stage.DROPPED:
        raise PipelineError(_("The project is dropped."))
    if date is None or date > timezone.localdate():
        raise PipelineError(_("The date cannot be in the future."), field="date")
    if date < project.first_signed_on:
        raise PipelineError(_("The date cannot be before the first signing."), field="date")
    before = _project_snapshot(project)
    _sign(project, actor=actor, agreement_type=agreement_type, date=date, amount=amount,
          increment_amount=increment_amount if project.kind != ProjectKind.NEW else None, note=note)  # fmt: skip
    project.save()
    agreement = project.agreements.order_by("-id").first()
    _event(project, ProjectEvent.Kind.SIGNED_AGAIN, actor, note=note,
           agreement_type=agreement_type, amount=str(amount), date=date.isoformat())  # fmt: skip
    record(actor=actor, action="investment.project.sign_again", obj=project, before=before,
           after=_project_snapshot(project))  # fmt: skip
    measures.refresh_for_project(project)
    original.refresh_from_db()
    return agreement


# ——— follow-ups ———


@transaction.atomic
def add_follow_up(
    *, actor, project: Project, date: datetime.date, method: str, content: str, next_step: str = "",
    next_step_due: datetime.date | None = None,
) -> FollowUp:  # fmt: skip
    """A follow-up record; its next step becomes the project's (the latest follow-up's next step is the open one)."""
    if not access.can_edit_project(actor, project):
        raise PipelineError(_("You cannot change this project."))
    if date > timezone.localdate():
        raise PipelineError(_("The date cannot be in the future."), field="date")
    if not (content or "").strip():
        raise PipelineError(_("Say what happened."), field="content")
    if next_step_due and next_step_due < date:
        raise PipelineError(_("The next step cannot be due before the follow-up."), field="next_step_due")
    if next_step_due and not (next_step or "").strip():
        raise PipelineError(_("Say what the next step is."), field="next_step")
    follow_up = FollowUp.objects.create(
        project=project, date=date, method=method, content=content.strip(), next_step=(next_step or "").strip(),
        next_step_due=next_step_due, author=actor,
    )  # fmt: skip
    latest = project.follow_ups.order_by("-date", "-id").first()
    if latest.pk == follow_up.pk:
        project.next_step, project.next_step_due = follow_up.next_step, follow_up.next_step_due
        project.save(update_fields=["next_step", "next_step_due", "updated_at"])
    record(actor=actor, action="investment.follow_up.create", obj=follow_up,
           after=snapshot(follow_up, ["project_id", "date", "method", "content", "next_step", "next_step_due"]))  # fmt: skip
    return follow_up


# ——— registries ———


def _require_registry(actor) -> None:
    if not access.can_manage_registries(actor):
        raise PipelineError(_("Only investment officers and the supervision office keep these registries."))


@transaction.atomic
def save_category(*, actor, category: ProjectCategory | None = None, **fields) -> ProjectCategory:
    _require_registry(actor)
    before = snapshot(category) if category else None
    category = category or ProjectCategory()
    for name, value in fields.items():
        setattr(category, name, value)
    category.save()
    record(
        actor=actor, action="investment.category.save", obj=category, before=before, after=snapshot(category)
    )
    return category


@transaction.atomic
def save_venture_firm(*, actor, firm: VentureFirm | None = None, **fields) -> VentureFirm:
    _require_registry(actor)
    before = snapshot(firm) if firm else None
    firm = firm or VentureFirm()
    for name, value in fields.items():
        setattr(firm, name, value)
    firm.save()
    record(actor=actor, action="investment.venture_firm.save", obj=firm, before=before, after=snapshot(firm))
    return firm


@transaction.atomic
def save_fund(*, actor, firm: VentureFirm, name: str, size: Decimal | None = None) -> Fund:
    _require_registry(actor)
    if firm.funds.filter(name=name.strip()).exists():
        raise PipelineError(_("This firm already has a fund of that name."), field="name")
    fund = Fund.objects.create(firm=firm, name=name.strip(), size=size)
    record(actor=actor, action="investment.fund.create", obj=fund, after=snapshot(fund))
    return fund


POLICY_FIELDS = ["title", "document_number", "summary", "min_investment", "origins", "channels", "valid_from",
                 "valid_until", "is_active"]  # fmt: skip


@transaction.atomic
def save_policy(*, actor, policy: Policy | None = None, categories: Iterable = (), **fields) -> Policy:
    _require_registry(actor)
    if (
        fields.get("valid_from")
        and fields.get("valid_until")
        and fields["valid_until"] < fields["valid_from"]
    ):
        raise PipelineError(_("The end of validity is before its start."), field="valid_until")
    before = (snapshot(policy, POLICY_FIELDS) | {"categories": [c.name for c in policy.categories.all()]}
              if policy else None)  # fmt: skip
    policy = policy or Policy()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    policy.categories.set(list(categories))
    after = snapshot(policy, POLICY_FIELDS) | {"categories": [c.name for c in policy.categories.all()]}
    record(actor=actor, action="investment.policy.save", obj=policy, before=before, after=after)
    return policy


# ——— task measures ———


@transaction.atomic
def bind_measure(*, actor, task, metric: str, **filters) -> MeasureBinding:
    """Bind a task's measure to a pipeline query; its progress is then computed, never reported."""
    if not access.can_bind_measures(actor):
        raise PipelineError(_("Only the supervision office binds task measures."))
    if not task.measure_quantity or task.measure_quantity <= 0:
        raise PipelineError(
            _("Give the task a target quantity first: progress is the measured value against it."),
            field="metric",
        )
    binding = MeasureBinding.objects.filter(task=task).first()
    before = (
        snapshot(binding, ["metric", "amount_unit", "year", "sector_id", "category_id", "channel"])
        if binding
        else None
    )
    binding = binding or MeasureBinding(task=task, created_by=actor)
    binding.metric = metric
    for name, value in filters.items():
        setattr(binding, name, value)
    binding.save()
    measures.refresh_binding(binding)
    record(actor=actor, action="investment.measure.bind", obj=binding, before=before,
           after=snapshot(binding, ["task_id", "metric", "amount_unit", "year", "sector_id", "category_id",
                                    "channel"]))  # fmt: skip
    return binding


@transaction.atomic
def unbind_measure(*, actor, binding: MeasureBinding) -> None:
    if not access.can_bind_measures(actor):
        raise PipelineError(_("Only the supervision office binds task measures."))
    record(actor=actor, action="investment.measure.unbind", obj=binding,
           before=snapshot(binding, ["task_id", "metric", "year", "sector_id", "category_id", "channel"]))  # fmt: skip
    binding.delete()


def all_stages() -> list[str]:
    return [*STAGE_ORDER, Stage.DROPPED]
