"""Decisions (议定事项) to and from .xlsx: the export of a joint meeting's decisions with their task states, and the
import of a meeting's decisions — all rows or none, every problem named by row and column."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tuijin.core.audit import record
from tuijin.lib.spreadsheet_write import neutralise
from tuijin.org.services import find_unit

from . import access, services
from .models import Decision, Meeting

# (key, header, width)
COLUMNS = (
    ("minutes", "纪要编号", 16),
    ("position", "序号", 7),
    ("text", "议定事项", 50),
    ("lead_unit", "牵头单位", 22),
    ("supporting_units", "配合单位", 28),
    ("limit_text", "完成时限", 18),
    ("deadline", "截止日期", 12),
    ("state", "办理状态", 12),
    ("status", "预警状态", 10),
)
HEADER_ALIASES = {
    "position": {"序号", "编号"},
    "text": {"议定事项", "事项", "决定事项"},
    "lead_unit": {"牵头单位", "责任单位"},
    "supporting_units": {"配合单位", "协办单位"},
    "limit_text": {"完成时限", "时限"},
}
SEPARATORS = re.compile(r"[、，,;；/／\s]+")
MAX_ROWS = 500


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def decision_rows(decisions) -> list[dict]:
    rows = []
    for d in decisions:
        task = d.task
        rows.append({
            "minutes": d.meeting.minutes_ref, "position": d.position, "text": d.text, "lead_unit": d.lead_unit.name,
            "supporting_units": "、".join(u.name for u in d.supporting_units.all()), "limit_text": d.limit_text,
            "deadline": task.deadline.isoformat() if task and task.deadline else "",
            "state": task.get_state_display() if task else "", "status": task.get_status_display() if task else "",
        })  # fmt: skip
    return rows


def write_decisions(target, *, title: str, rows: list[dict]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "议定事项"
    ws.append([_cell(title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([header for _key, header, _w in COLUMNS])
    for index, (_key, _header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        ws.cell(row=2, column=index).font = Font(bold=True)
    for row in rows:
        ws.append([_cell(row.get(key)) for key, _h, _w in COLUMNS])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C3"
    wb.save(target)


@dataclass
class ImportResult:
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column letter, message)
    rows: list[dict] = field(default_factory=list)
    saved: int = 0

    def add(self, row: int, column: int | None, message: str) -> None:
        self.problems.append((row, get_column_letter(column + 1) if column is not None else "", message))


def read_decisions(data: bytes) -> ImportResult:
    """Parse the workbook: find the header row, then one decision per non-empty row."""
    result = ImportResult()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same explanation
        result.add(0, None, _("The file cannot be opened as an Excel workbook. Save it again as .xlsx."))
        return result
    ws = wb.worksheets[0]
    mapping: dict[str, int] = {}
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(values)
        if not mapping:
            texts = [str(v).strip() if v is not None else "" for v in values]
            for key, names in HEADER_ALIASES.items():
                for col, text in enumerate(texts):
                    if text in names:
                        mapping.setdefault(key, col)
            if "text" in mapping:
                for key in ("lead_unit",):
                    if key not in mapping:
                        result.add(number, None, _("The header has no column “牵头单位”."))
                        return result
            else:
                mapping = {}
            if number > 10 and not mapping:
                break
            continue
        _read_row(result, number, values, mapping)
        if len(result.rows) > MAX_ROWS:
            result.add(number, None, _("More than %(n)s decisions: split the file.") % {"n": MAX_ROWS})
            return result
    if not mapping:
        result.add(1, None, _("No header row with a column “议定事项” in the first ten rows."))
    elif not result.rows and not result.problems:
        result.add(0, None, _("The sheet has no decisions below its header."))
    return result


def _read_row(result: ImportResult, number: int, values: list, mapping: dict[str, int]) -> None:
    def get(key: str) -> str:
        col = mapping.get(key)
        value = values[col] if col is not None and col < len(values) else None
        return "" if value is None else str(value).strip()

    if not any(get(key) for key in mapping):
        return
    for col, value in enumerate(values):
        if isinstance(value, str) and value.startswith("="):
            result.add(number, col, _("A formula is not accepted here; type the value itself."))
            return
    text, lead_name = get("text"), get("lead_unit")
    if not text:
        result.add(number, mapping["text"], _("The decision is empty."))
    lead = find_unit(lead_name)
    if not lead_name:
        result.add(number, mapping["lead_unit"], _("Name the lead unit."))
    elif lead is None:
        result.add(number, mapping["lead_unit"], _("Unknown unit “%(name)s”.") % {"name": lead_name})
    supporting = []
    for name in SEPARATORS.split(get("supporting_units")):
        if not name:
            continue
        unit = find_unit(name)
        if unit is None:
            result.add(number, mapping["supporting_units"], _("Unknown unit “%(name)s”.") % {"name": name})
        elif unit != lead and unit not in supporting:
            supporting.append(unit)
    limit = get("limit_text")
    if len(limit) > 300:
        result.add(number, mapping["limit_text"], _("The time limit is longer than 300 characters."))
    result.rows.append({"row": number, "text": text, "lead_unit": lead, "supporting_units": supporting,
                        "limit_text": limit})  # fmt: skip


@transaction.atomic
def import_decisions(*, actor, meeting: Meeting, data: bytes, filename: str = "") -> ImportResult:
    """Add the workbook's decisions to the meeting: all of them, or — when any row has a problem — none."""
    access.require_organiser(actor, meeting.joint_meeting)
    if meeting.is_locked:
        raise services.CoordinationError(_("The minutes of this meeting are issued: the meeting is locked."))
    result = read_decisions(data)
    if result.problems:
        return result
    for row in result.rows:
        services.add_decision(actor=actor, meeting=meeting, text=row["text"], lead_unit=row["lead_unit"],
                              supporting_units=row["supporting_units"], limit_text=row["limit_text"])  # fmt: skip
    result.saved = len(result.rows)
    record(actor=actor, action="coordination.decision.import", obj=meeting,
           after={"file": filename[:100], "decisions": result.saved})  # fmt: skip
    return result


def export_queryset(joint_meeting):
    return (
        Decision.objects.filter(
            meeting__joint_meeting=joint_meeting, meeting__minutes_issued_at__isnull=False
        )
        .select_related("meeting__joint_meeting", "lead_unit", "task")
        .prefetch_related("supporting_units")
        .order_by("meeting__minutes_year", "meeting__minutes_number", "position")
    )
