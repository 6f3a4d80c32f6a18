"""The day's run sheet (日程安排表): every activity of a programme on one day, in order of time — on screen, as a
GB/T 9704 .docx and as .xlsx. Contact phones follow the privacy policy (tuijin/events/privacy.py): in full in the
organising office's exports, masked for everyone else.

Like the other official documents, the exported files are Chinese whatever the reader's screen language.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tuijin.core import privacy
from tuijin.lib.official_docs import OfficialDocument, arabic_date
from tuijin.lib.spreadsheet import neutralise

from .models import Activity, Programme

WEEKDAYS = "一二三四五六日"
HEADERS = ["时间", "活动", "地点", "牵头单位", "配合单位", "人数", "联系人", "备注"]


@dataclass
class Row:
    activity: Activity
    time: str
    supporting: str
    phone: str  # as the reader's exports carry it: in full where the privacy policy allows, else masked
    full: bool

    @property
    def contact(self) -> str:
        return " ".join(part for part in (self.activity.contact_name, self.phone) if part)


def days(programme: Programme) -> list[datetime.date]:
    """The days that have activities, in order."""
    return sorted(set(programme.activities.values_list("date", flat=True)))


def rows(programme: Programme, day: datetime.date, *, viewer) -> list[Row]:
    activities = (
        programme.activities.filter(date=day)
        .select_related("lead_unit")
        .prefetch_related("supporting_units")
        .order_by("start_time", "end_time", "id")
    )
    return [
        Row(
            activity=a,
            time=f"{a.start_time:%H:%M}—{a.end_time:%H:%M}",
            supporting="、".join(u.name for u in a.supporting_units.all()),
            phone=privacy.export_value(viewer, a, "contact_phone"),
            full=bool(a.contact_phone) and privacy.may_see_full(viewer, a, "contact_phone"),
        )
        for a in activities
    ]


def day_label(day: datetime.date) -> str:
    return f"{arabic_date(day)}（星期{WEEKDAYS[day.weekday()]}）"


def title(programme: Programme, day: datetime.date) -> str:
    return f"{programme.name}{day.month}月{day.day}日活动运行表"


def _values(row: Row) -> list:
    a = row.activity
    return [
        row.time,
        a.title,
        a.venue,
        a.lead_unit.name,
        row.supporting,
        a.capacity or "",
        row.contact,
        a.notes,
    ]


def docx_bytes(programme: Programme, day: datetime.date, run: list[Row], *, issued: datetime.date) -> bytes:
    doc = OfficialDocument()
    doc.title(title(programme, day))
    doc.paragraph(
        f"{day_label(day)}共安排活动{len(run)}项。各牵头单位按表组织实施，配合单位按职责做好保障，"
        "如有调整请及时报告活动组委会办公室。"
    )
    doc.table(
        HEADERS[:4] + HEADERS[5:7],
        [[v for i, v in enumerate(_values(r)) if i not in (4, 7)] for r in run],
        widths_mm=[30, 31, 27, 25, 15, 28],
        align=["center", "left", "left", "left", "center", "left"],
    )
    notes = [r for r in run if r.activity.notes or r.supporting]
    if notes:
        doc.heading("配合单位及备注", 1, numbered=False)
        for r in notes:
            parts = [
                f"配合单位：{r.supporting}" if r.supporting else "",
                r.activity.notes.strip().rstrip("。；;"),
            ]
            doc.paragraph(f"{r.activity.title}（{r.time}）：" + "；".join(p for p in parts if p) + "。")
    doc.signature(programme.organiser.name, issued, date_style="arabic")
    return doc.to_bytes()


def xlsx_bytes(programme: Programme, day: datetime.date, run: list[Row]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{day.month}月{day.day}日"
    ws.append([neutralise(title(programme, day))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append([neutralise(day_label(day))])
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r in run:
        ws.append([neutralise(v) if isinstance(v, str) else v for v in _values(r)])
    for index, width in enumerate([14, 26, 26, 22, 28, 8, 22, 36], start=1):
        ws.column_dimensions[ws.cell(row=3, column=index).column_letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A4"
    wb.properties.title = title(programme, day)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(programme: Programme, day: datetime.date, extension: str) -> str:
    """URL-quoted for Content-Disposition."""
    name = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in programme.name).strip()
    return quote(f"{name}-运行表-{day:%Y%m%d}.{extension}")
