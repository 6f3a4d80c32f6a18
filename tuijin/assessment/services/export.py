"""A round's scores as .xlsx: the ranking, every score with its formula, the records behind them, the red list.

Like the exported task lists and the circular it accompanies, the workbook is a Chinese document whatever the
reader's language. Every text cell goes through `neutralise` (no cell may start like a formula).
"""

from __future__ import annotations

import io
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tuijin.lib.spreadsheet import neutralise
from tuijin.org.models import UnitKind

from ..models import Result, Round, Score
from ..periods import chinese_label

GROUP_NAMES = {
    UnitKind.SECTOR: "城市核心板块",
    UnitKind.DEPARTMENT: "市直部门",
    UnitKind.DISTRICT: "区县（市）",
    UnitKind.OTHER: "其他单位",
    UnitKind.CITY_OFFICE: "市直机关",
}
KIND_NAMES = {"task": "任务", "report": "进展报告", "milestone": "节点", "warning": "预警", "order": "督办单",
              "manual": "人工评分", "adjustment": "加减分"}  # fmt: skip


def group_name(kind: str) -> str:
    return GROUP_NAMES.get(kind, kind)


def circular_filename(round_: Round, extension: str) -> str:
    """URL-quoted for Content-Disposition: e.g. 核心板块月度督查考核-2026-06-v1.docx."""
    name = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in round_.snapshot.get("name", "")).strip()
    return quote(f"{name or 'assessment'}-{round_.period}-v{round_.version}.{extension}")


def _cell(value):
    return neutralise(value) if isinstance(value, str) else value


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int], rows, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def scores_xlsx_bytes(round_: Round) -> bytes:
    results = list(Result.objects.filter(round=round_).order_by("group", "rank", "unit_name"))
    scores = list(
        Score.objects.filter(round=round_).select_related("unit").order_by("unit__name", "position", "id")
    )
    columns: list[str] = []
    points: dict[int, dict[str, float]] = {}
    for score in scores:
        if score.indicator_name not in columns:
            columns.append(score.indicator_name)
        points.setdefault(score.unit_id, {})[score.indicator_name] = float(score.points)
    group_order = {kind: i for i, kind in enumerate(round_.snapshot.get("groups", []))}
    results.sort(key=lambda r: (group_order.get(r.group, 99), r.rank, r.unit_name))
    wb = Workbook()
    title = f"{chinese_label(round_.period)}{round_.snapshot.get('name', '')}"
    _sheet(
        wb, "排名", ["分组", "排名", "单位", *columns, "总分", "等次", "一票否决"],
        [14, 6, 26, *[12] * len(columns), 9, 9, 9],
        ([group_name(r.group), r.rank, r.unit_name, *[points.get(r.unit_id, {}).get(c) for c in columns],
          float(r.total), r.grade, "是" if r.vetoed else ""] for r in results),
        first=True,
    )  # fmt: skip
    _sheet(
        wb, "得分明细", ["单位", "指标", "测算值", "得分", "计算方法", "依据记录数"], [26, 22, 10, 9, 70, 10],
        ([s.unit.name, s.indicator_name, s.value, float(s.points), s.formula, len(s.sources)] for s in scores),
    )  # fmt: skip
    _sheet(
        wb, "依据记录", ["单位", "指标", "记录类型", "记录", "说明", "计入", "链接"], [26, 22, 10, 40, 50, 6, 50],
        ([s.unit.name, s.indicator_name, KIND_NAMES.get(src.get("kind"), src.get("kind")), src.get("label", ""),
          src.get("note", ""), "是" if src.get("counted", True) else "否", src.get("url", "")]
         for s in scores for src in s.sources),
    )  # fmt: skip
    _sheet(
        wb, "逾期任务", ["序号", "清单", "任务", "牵头单位", "截止日期", "逾期天数"], [8, 30, 50, 26, 12, 10],
        ([t["number"], t["plan"], t["title"], "、".join(t["units"]), t["deadline"], t["days"]]
         for t in round_.summary.get("red_list", [])),
    )  # fmt: skip
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
