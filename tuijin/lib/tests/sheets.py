"""Build task-list workbooks and CSV files in code, laid out the ways municipal offices send them.

Low level: :func:`xlsx_bytes` (rows + merged ranges → .xlsx bytes) and :func:`csv_bytes`.
High level: :func:`task_list` turns a list of task dicts (and category strings) into a whole list with
an "附件1" line, a title, one of several header layouts, category rows merged across, and notes.

    data = task_list(
        ["一、项目招商", {"number": 1, "title": "头部企业招商", "lead": "市商务局", "limit": "6月底前"}],
        layout="two_level",
    )
    sheet = read_task_list(data, "list.xlsx")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# Header layouts. Each is (header rows, merged ranges relative to the first header row, task keys per column).
# Task keys: number, title, target, lead, supporting, units (one 责任单位 column), leader, owner, limit,
# start, note, category.
LAYOUTS: dict[str, tuple[list[list[str | None]], list[tuple[int, int, int, int]], list[str]]] = {
    # separate 牵头/配合 columns, one header row
    "simple": (
        [["序号", "重点任务", "具体目标", "牵头单位", "配合单位", "责任领导", "责任人", "完成时限", "备注"]],
        [],
        ["number", "title", "target", "lead", "supporting", "leader", "owner", "limit", "note"],
    ),
    # like the shared sample: older names and one 责任单位 column
    "responsible": (
        [["序号", "项目名称", "建设内容及目标", "主管领导", "责任单位", "主要责任人", "进度安排"]],
        [],
        ["number", "title", "target", "leader", "units", "owner", "limit"],
    ),
    # 责任分工 over 牵头单位 | 配合单位, 时间节点 over 开始 | 完成; other headers merged over both rows
    # (merges: row offset 0-based, col 1-based: (r0, c0, r1, c1))
    "two_level": (
        [
            ["序号", "重点任务", "具体目标", "责任分工", None, "责任领导", "时间节点", None, "备注"],
            [None, None, None, "牵头单位", "配合单位", None, "开始", "完成", None],
        ],
        [(0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 5), (0, 6, 1, 6), (0, 7, 0, 8), (0, 9, 1, 9)],
        ["number", "title", "target", "lead", "supporting", "leader", "start", "limit", "note"],
    ),
    # the same two levels written without any merged cell
    "two_level_unmerged": (
        [
            ["序号", "工作任务", "工作目标", "责任分工", None, "分管领导", "完成时限"],
            [None, None, None, "牵头单位", "协办单位", None, None],
        ],
        [],
        ["number", "title", "target", "lead", "supporting", "leader", "limit"],
    ),
    # a 类别 column instead of category rows
    "with_category": (
        [
            [
                "编号",
                "类别",
                "任务名称",
                "目标任务",
                "主责单位",
                "配合部门",
                "联系领导",
                "具体责任人",
                "时限要求",
            ]
        ],
        [],
        ["number", "category", "title", "target", "lead", "supporting", "leader", "owner", "limit"],
    ),
}


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    merges: Iterable[str] = (),
    *,
    sheet_title: str = "Sheet1",
    first_sheets: Iterable[tuple[str, Sequence[Sequence[object]]]] = (),
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """An .xlsx with ``rows`` (None = empty cell; a str starting with "=" becomes a formula).

    ``merges`` are Excel ranges such as "A2:I2". ``first_sheets`` are (name, rows) placed before the
    main sheet. ``number_formats`` maps a cell ("D5") to an Excel number format.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for name, other_rows in first_sheets:
        ws = wb.create_sheet(name)
        for row in other_rows:
            ws.append(list(row))
    ws = wb.create_sheet(sheet_title)
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", bom: bool = False, delimiter: str = ","
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _cell(task: dict, key: str) -> object:
    if key == "units":
        return task.get("units", task.get("lead"))
    value = task.get(key)
    if isinstance(value, list | tuple):
        return "、".join(value)
    return value


def task_list_rows(
    tasks: Iterable[dict | str],
    *,
    layout: str = "simple",
    title: str | None = "2021年中原科技城建设重点任务清单",
    preamble: bool = True,
    notes: bool = True,
) -> tuple[list[list[object]], list[str]]:
    """Rows and merged ranges for a whole list (see :func:`task_list`)."""
    header_rows, header_merges, keys = LAYOUTS[layout]
    width = len(keys)
    last = get_column_letter(width)
    rows: list[list[object]] = []
    merges: list[str] = []
    if preamble:
        rows.append(["附件1"])
        if title:
            rows.append([title] + [None] * (width - 1))
            merges.append(f"A{len(rows)}:{last}{len(rows)}")
        rows.append(["填报单位：市委督查局（盖章）"])
        rows.append([])
    first_header = len(rows) + 1
    for header in header_rows:
        rows.append(list(header))
    for r0, c0, r1, c1 in header_merges:
        merges.append(
            f"{get_column_letter(c0)}{first_header + r0}:{get_column_letter(c1)}{first_header + r1}"
        )
    for task in tasks:
        if isinstance(task, str):
            rows.append([task] + [None] * (width - 1))
            merges.append(f"A{len(rows)}:{last}{len(rows)}")
            continue
        rows.append([_cell(task, key) for key in keys])
    if notes:
        rows.append([])
        rows.append(["注：1.排在首位的为牵头单位；2.完成时限为最终节点。"])
        rows.append(["填报人：王某某　　联系电话：0371-67180000"])
    return rows, merges


def task_list(
    tasks: Iterable[dict | str],
    *,
    layout: str = "simple",
    title: str | None = "2021年中原科技城建设重点任务清单",
    preamble: bool = True,
    notes: bool = True,
    csv_encoding: str | None = None,
    bom: bool = False,
) -> bytes:
    """A whole task list as .xlsx bytes (or CSV bytes when ``csv_encoding`` is given).

    ``tasks`` items are dicts with keys number, title, target, lead, supporting, units, leader, owner,
    limit, start, note, category (lists are joined with 、; dates stay dates) or a string for a
    category row merged across the table. ``layout`` is one of :data:`LAYOUTS`.
    """
    rows, merges = task_list_rows(tasks, layout=layout, title=title, preamble=preamble, notes=notes)
    if csv_encoding:
        return csv_bytes(rows, encoding=csv_encoding, bom=bom)
    return xlsx_bytes(rows, merges)


SAMPLE_TASKS = [
    {
        "number": 1,
        "title": "头部企业招商",
        "target": "签约落地头部企业5家",
        "lead": "市商务局",
        "supporting": ["市发展改革委", "市科技局"],
        "leader": "市领导甲",
        "owner": "张伟",
        "limit": "6月底前",
    },
    {
        "number": 2,
        "title": "人才公寓配租",
        "target": "新增人才公寓配租500套",
        "lead": "市住房保障局",
        "supporting": "市人社局",
        "leader": "市领导乙",
        "owner": "王芳",
        "limit": dt.date(2021, 9, 10),
    },
]
