"""Saving an import preview through the pipeline's services, in one transaction: a project is created at 线索 or
洽谈 on its lead date and moved through its stages on their dates (signing records the agreement and makes it count
once), so an imported project is exactly what the same moves on its page would have made. Any refusal of a
service rolls the whole import back."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tuijin.core.audit import record

from . import access, services
from .importing import ImportPreview, ImportRefused
from .models import Stage
from .services import normalise_name


@dataclass
class ImportResult:
    enterprises: int
    projects: int


def commit_import(*, actor, preview: ImportPreview) -> ImportResult:
    """Save every row of a preview without errors, or nothing (ImportRefused)."""
    if preview.errors:
        raise ImportRefused(_("The sheet has %(n)s errors; nothing was saved.") % {"n": len(preview.errors)})
    if not preview.rows:
        raise ImportRefused(_("The sheet has no rows; nothing was saved."))
    if actor is None or not access.is_officer(actor):
        raise ImportRefused(_("Only investment officers can import enterprises and projects."))
    try:
        with transaction.atomic():
            if preview.kind == "enterprises":
                result = _save_enterprises(actor, preview)
            else:
                result = _save_projects(actor, preview)
            record(actor=actor, action="investment.import", object_type="investment.import",
                   object_id=preview.sha256[:16], object_repr=preview.filename[:255],
                   after=preview.summary() | {"saved_enterprises": result.enterprises,
                                              "saved_projects": result.projects})  # fmt: skip
    except services.PipelineError as exc:
        raise ImportRefused(_("Row %(row)s: %(message)s Nothing was saved.") % {
            "row": getattr(exc, "import_row", "?"), "message": exc.message}) from exc  # fmt: skip
    return result


def _save_enterprises(actor, preview: ImportPreview) -> ImportResult:
    for row in preview.rows:
        try:
            enterprise = services.create_enterprise(
                actor=actor, name=row.get("name"), credit_code=row.get("credit_code") or "",
                industry=row.get("industry") or "", origin=row.get("origin") or "", address=row.get("address") or "",
                note=row.get("note") or "", confirm_duplicate=True,
            )  # fmt: skip
            if row.get("contact_name"):
                services.save_contact(actor=actor, enterprise=enterprise, name=row.get("contact_name"),
                                      position=row.get("contact_position") or "", phone=row.get("contact_phone") or "")  # fmt: skip
        except services.PipelineError as exc:
            exc.import_row = row.row
            raise
    return ImportResult(enterprises=len(preview.rows), projects=0)


def _save_projects(actor, preview: ImportPreview) -> ImportResult:
    created: dict[str, object] = {}  # name key of a new enterprise -> Enterprise
    by_row = {}
    for row in preview.rows:
        try:
            enterprise = row.resolved.get("enterprise")
            if enterprise is None:
                key = normalise_name(row.get("enterprise"))
                enterprise = created.get(key)
                if enterprise is None:
                    enterprise = created[key] = services.create_enterprise(
                        actor=actor, name=row.get("enterprise"), credit_code=row.get("credit_code") or "",
                        industry=row.get("industry") or "", origin=row.get("origin") or "", confirm_duplicate=True,
                    )  # fmt: skip
            base = row.resolved.get("base_project") or by_row.get(row.resolved.get("base_row"))
            project = services.create_project(
                actor=actor, name=row.get("name"), enterprise=enterprise, sector=row.resolved["sector"],
                category=row.resolved["category"], stage=row.resolved["start_stage"], stage_since=row.get("entered_on"),
                channel=row.get("channel"), venture_firm=row.resolved.get("venture_firm"), kind=row.get("kind"),
                base_project=base, industry=row.get("industry") or "", description=row.get("description") or "",
                planned_investment=row.get("planned_investment"), funds_arrived=row.get("funds_arrived"),
                increment_amount=row.get("increment_amount"), responsible_leader=row.get("responsible_leader") or "",
                officer=row.resolved.get("officer"),
            )  # fmt: skip
            if row.get("registered_capital") is not None and not row.get("registered_on"):
                services.update_project(
                    actor=actor, project=project, registered_capital=row.get("registered_capital")
                )
            for stage, day in row.moves:
                extra = {}
                if stage == Stage.SIGNED:
                    extra = {"agreement_type": row.get("agreement_type"), "contract_amount": row.get("contract_amount"),
                             "increment_amount": row.get("increment_amount")}  # fmt: skip
                elif stage == Stage.REGISTERED:
                    extra = {"registered_capital": row.get("registered_capital")}
                elif stage == Stage.DROPPED:
                    extra = {"reason": row.get("dropped_reason")}
                services.move_stage(actor=actor, project=project, to_stage=stage, date=day, **extra)
            by_row[row.row] = project
        except services.PipelineError as exc:
            exc.import_row = row.row
            raise
    return ImportResult(enterprises=len(created), projects=len(by_row))
