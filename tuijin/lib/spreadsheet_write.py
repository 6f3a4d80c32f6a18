"""Write task lists back out as .xlsx (streaming, openpyxl write-only) or .csv (UTF-8 with BOM).

Every text cell goes through :func:`neutralise` so that no spreadsheet program evaluates a value that
starts like a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

__all__ = ["EXPORT_COLUMNS", "neutralise", "write_task_list", "write_task_list_csv"]

# (key in the row mapping, header text, column width)
EXPORT_COLUMNS = (
    ("number", "序号", 7),
    ("title", "重点任务", 30),
    ("target", "具体目标", 42),
    ("lead_units", "牵头单位", 22),
    ("supporting_units", "配合单位", 28),
    ("leader", "责任领导", 11),
    ("limit_text", "完成时限", 22),
    ("deadline", "截止日期", 12),
    ("status", "状态", 10),
    ("latest", "最新进展", 42),
)

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix an apostrophe to a cell that starts with = + - @ (or tab/CR) so no spreadsheet evaluates it."""
    if value and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def _units_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return "、".join(str(v) for v in value if v)
    return str(value)


def _text(key: str, value) -> str:
    if value is None:
        return ""
    if key in ("lead_units", "supporting_units"):
        return _units_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cells(row: Mapping[str, object]) -> list[str]:
    out = []
    for key, _, _ in EXPORT_COLUMNS:
        text = _text(key, row.get(key))
        if ILLEGAL_CHARACTERS_RE.search(text):
            text = ILLEGAL_CHARACTERS_RE.sub("", text)
        out.append(neutralise(text))
    return out


def write_task_list(target, *, title: str, rows: Iterable[Mapping[str, object]]) -> None:
    """Write a title row, the header and one row per task mapping to ``target`` (path or binary file).

    Keys: number, title, target, lead_units (list or str), supporting_units, leader, limit_text,
    deadline (date or None, written as YYYY-MM-DD), status, latest. Missing keys are left blank.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务清单")
    for index, (_, _, width) in enumerate(EXPORT_COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "C3"

    title_cell = WriteOnlyCell(ws, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", title or "")))
    title_cell.font = Font(bold=True, size=16)
    ws.append([title_cell])
    ws.merged_cells.add(f"A1:{chr(ord('A') + len(EXPORT_COLUMNS) - 1)}1")
    header = []
    for _, text, _ in EXPORT_COLUMNS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        values = _cells(row)
        # openpyxl would store a str starting with "=" as a formula; neutralise() already prevents that
        ws.append(values)
    if isinstance(target, str | os.PathLike):
        wb.save(os.fspath(target))
    else:
        wb.save(target)


def write_task_list_csv(target, *, rows: Iterable[Mapping[str, object]]) -> None:
    """Same columns as :func:`write_task_list`, as UTF-8 CSV with a BOM (Excel then shows Chinese correctly).

    ``target`` is a path, a binary file object (or anything with ``write(bytes)``, such as a Django
    ``HttpResponse``) or a text stream.
    """
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as fh:
            _write_csv(fh, rows, binary=True)
        return
    _write_csv(target, rows, binary=not isinstance(target, io.TextIOBase))


def _write_csv(fh, rows: Iterable[Mapping[str, object]], *, binary: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> None:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        fh.write(text.encode("utf-8") if binary else text)

    buffer.write("\ufeff")
    writer.writerow([text for _, text, _ in EXPORT_COLUMNS])
    for count, row in enumerate(rows, start=1):
        writer.writerow(_cells(row))
        if count % 500 == 0:
            flush()
    flush()
