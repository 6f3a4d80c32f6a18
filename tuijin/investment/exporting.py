"""Enterprises and projects out to .xlsx, in the columns the import reads (importing.py), so an exported list can be
edited and read back. Every text cell goes through `neutralise` (no cell starting like a formula is ever written:
CSV/formula injection); amounts are numbers in 万元, dates real dates shown the Chinese way. Personal data (contact
phones) is written as the viewer may see it and the export is recorded (tuijin/core/privacy.py)."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils.cell import get_column_letter

from tuijin.core import privacy
from tuijin.lib.spreadsheet_write import neutralise

from . import importing_values as v
from .importing import ENTERPRISE_COLUMNS, PROJECT_COLUMNS
from .models import STAGE_ORDER, Channel, Contact, ProjectCategory, Stage

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
WIDTHS = {"name": 28, "enterprise": 28, "credit_code": 22, "description": 36, "dropped_reason": 24, "address": 28,
          "note": 24, "venture_firm": 20, "base_project": 20}  # fmt: skip


def _text(value) -> str:
    text = "" if value is None else str(value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _cell(ws, value):
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal | int | float):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = "#,##0.00"
        return cell
    return WriteOnlyCell(ws, value=_text(value))


def _sheet(wb: Workbook, title: str, columns: dict, rows) -> None:
    ws = wb.create_sheet(title)
    for index, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 14)
    ws.freeze_panes = "C2"
    header = []
    for heading, _others in columns.values():
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, row.get(name)) for name in columns])


def _save(wb: Workbook, target) -> None:
    if isinstance(target, str | os.PathLike):
        wb.save(os.fspath(target))
    else:
        wb.save(target)


def project_row(project) -> dict:
    """A project as the import reads it back."""
    return {
        "name": project.name, "enterprise": project.enterprise.name, "credit_code": project.enterprise.credit_code,
        "origin": v.ORIGIN_TEXT.get(project.enterprise.origin, ""), "industry": project.industry
        or project.enterprise.industry, "sector": project.sector.short_name or project.sector.name,
        "category": project.category.name, "channel": v.CHANNEL_TEXT.get(project.channel, ""),
        "venture_firm": project.venture_firm.name if project.venture_firm else "",
        "kind": v.KIND_TEXT.get(project.kind, ""),
        "base_project": project.base_project.name if project.base_project_id else "",
        "planned_investment": project.planned_investment, "contract_amount": project.contract_amount,
        "increment_amount": project.increment_amount, "funds_arrived": project.funds_arrived,
        "registered_capital": project.registered_capital, "stage": v.STAGE_TEXT.get(project.stage, ""),
        "entered_on": project.entered_on, "agreement_type": v.AGREEMENT_TEXT.get(project.agreement_type, ""),
        "signed_on": project.first_signed_on, "registered_on": project.registered_on, "landed_on": project.landed_on,
        "started_on": project.started_on, "operating_on": project.operating_on, "dropped_on": project.dropped_on,
        "dropped_reason": project.dropped_reason, "responsible_leader": project.responsible_leader,
        "officer": project.officer.username if project.officer_id else "", "description": project.description,
    }  # fmt: skip


def write_projects(target, projects) -> int:
    """`projects`: a queryset (already scoped to the viewer); returns how many rows were written."""
    from django.db.models import Min

    rows = (projects.select_related("enterprise", "sector", "category", "venture_firm", "base_project", "officer")
            .annotate(entered_on=Min("stage_changes__date")).order_by("sector__sort_order", "sector_id", "id"))  # fmt: skip
    wb = Workbook(write_only=True)
    count = 0

    def generate():
        nonlocal count
        for project in rows.iterator(chunk_size=1000):
            count += 1
            yield project_row(project)

    _sheet(wb, "招商项目", PROJECT_COLUMNS, generate())
    _notes(wb)
    _save(wb, target)
    return count


def write_enterprises(target, enterprises, *, viewer) -> int:
    """Enterprises with their first contact; the phone as `viewer` may see it (recorded as an export)."""
    contacts: dict[int, Contact] = {}
    for contact in Contact.objects.filter(enterprise__in=enterprises).order_by("enterprise_id", "id"):
        contacts.setdefault(contact.enterprise_id, contact)
    wb = Workbook(write_only=True)
    rows = []
    for enterprise in enterprises.order_by("name", "id"):
        contact = contacts.get(enterprise.pk)
        rows.append({
            "name": enterprise.name, "credit_code": enterprise.credit_code, "industry": enterprise.industry,
            "origin": v.ORIGIN_TEXT.get(enterprise.origin, ""), "address": enterprise.address, "note": enterprise.note,
            "contact_name": contact.name if contact else "", "contact_position": contact.position if contact else "",
            "contact_phone": privacy.export_value(viewer, contact, "phone") if contact else "",
        })  # fmt: skip
    _sheet(wb, "企业", ENTERPRISE_COLUMNS, rows)
    _save(wb, target)
    with_phone = [c for c in contacts.values() if c.phone]
    if with_phone and viewer is not None:
        full = all(privacy.may_see_full(viewer, c, "phone") for c in with_phone)
        privacy.record_export(actor=viewer, model=Contact, names=["name", "phone"], rows=len(with_phone), full=full,
                              description="investment enterprises export")  # fmt: skip
    return len(rows)


def write_template(target, kind: str) -> None:
    """An empty sheet with the headings, and the words the import understands on a second sheet."""
    wb = Workbook(write_only=True)
    _sheet(
        wb,
        "招商项目" if kind == "projects" else "企业",
        PROJECT_COLUMNS if kind == "projects" else ENTERPRISE_COLUMNS,
        [],
    )
    _notes(wb)
    _save(wb, target)


def _notes(wb: Workbook) -> None:
    from tuijin.org.models import Unit, UnitKind

    ws = wb.create_sheet("填写说明")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    sectors = "、".join(u.short_name or u.name for u in Unit.objects.active().filter(kind=UnitKind.SECTOR))
    lines = [
        ("所属板块", sectors),
        ("项目类别", "、".join(c.name for c in ProjectCategory.objects.filter(is_active=True))),
        ("招商方式", "、".join(v.CHANNEL_TEXT[c] for c in Channel.values)),
        ("阶段", " → ".join(v.STAGE_TEXT[s] for s in STAGE_ORDER) + "；或 " + v.STAGE_TEXT[Stage.DROPPED]),
        (
            "项目性质",
            "、".join(v.KIND_TEXT.values()) + "（增资、升级须填写原项目和增资/升级金额，只统计增量）",
        ),
        ("协议类型", "、".join(v.AGREEMENT_TEXT.values())),
        ("企业来源", "、".join(v.ORIGIN_TEXT.values())),
        ("金额", "列标题注明单位（万元或亿元），或在单元格中写明，如 5亿元、3000万元"),
        (
            "日期",
            "如 2021年3月5日、2021-03-05、2021/3/5；已到达的阶段须填写其日期，签约须填写签约日期、协议类型和签约金额",
        ),
        ("统一社会信用代码", "18位，末位为校验码；注册阶段须填写"),
        ("导入规则", "有任何错误时整表不导入；同一企业的同名项目不能重复导入"),
    ]
    for key, text in lines:
        ws.append([_text(key), _text(text)])
