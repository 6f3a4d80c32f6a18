"""Opening a workbook or CSV file as a grid of cell values, with its merged ranges and formula cells."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, range_boundaries

from tuijin.lib.spreadsheet_header import HEAD_SCAN_ROWS, row_header_score
from tuijin.lib.spreadsheet_types import Problem

__all__ = ["Grid", "Unreadable", "load_bytes", "open_grid", "vertical_fill"]

# Speed: cell values come from python-calamine (Rust) when it is installed, otherwise from openpyxl in
# read-only mode. Merged ranges and formula cells are taken from one streaming regex pass over the
# worksheet XML inside the zip, so nothing is loaded in openpyxl's full (slow, memory-hungry) mode.
# Which engine and how much XML per pass are chosen by the caller (``calamine``, ``scan_chunk``).


@dataclass
class Grid:
    """One worksheet as a stream of rows, with its merged ranges and formula cells."""

    rows: Iterator[tuple[int, list]]  # (1-based sheet row, values with index 0 = column A)
    merges: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1): rows 1-based, cols 0-based
    formulas: list[tuple[int, int]]  # (row, col0)
    sheet_name: str
    problems: list[Problem] = field(default_factory=list)
    formula_unknown: int = 0


class Unreadable(Exception):
    """The file cannot be read at all; message and hint are shown to the user (Chinese)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


_CELL_REF_RE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_FORMULA_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_MERGE_RE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_CELL_START_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> XML member path, from workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
    paths = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            paths[sheet.get("name", "")] = targets[rid]
    return paths


def _scan_sheet_xml(zf: zipfile.ZipFile, member: str, scan_chunk: int) -> tuple[list, list, int]:
    """One streaming pass over the sheet XML: merged ranges and the cells that hold formulas."""
    formulas: dict[tuple[int, int], None] = {}
    merges = []
    unknown = 0
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(scan_chunk)
            buf = tail + chunk
            if not chunk:
                break
            # scan up to the last row boundary (</row> or <row>) and keep the rest for the next round,
            # so a cell and its formula are always seen together
            cut = buf.rfind(b"row>")
            if cut < 0:
                if len(buf) < 16 * scan_chunk:
                    tail = buf
                    continue
                cut = len(buf) - 4  # one enormous row: scan what there is
            unknown += _scan_chunk(buf[: cut + 4], formulas, merges)
            tail = buf[cut + 4 :]
        if buf:
            unknown += _scan_chunk(buf, formulas, merges)
    return list(formulas), merges, unknown


def _scan_chunk(buf: bytes, formulas: dict, merges: list) -> int:
    unknown = 0
    for hit in _FORMULA_RE.finditer(buf):
        pos = hit.start()
        window_start = max(0, pos - 400)
        starts = list(_CELL_START_RE.finditer(buf, window_start, pos))
        ref = None
        if starts:
            refs = _CELL_REF_RE.findall(buf, starts[-1].start(), pos)
            if refs:
                ref = refs[0]
        if ref is None:
            unknown += 1
            continue
        formulas[(int(ref[1]), column_index_from_string(ref[0].decode()) - 1)] = None
    if b"mergeCell" in buf:
        for ref in _MERGE_RE.findall(buf):
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
            except ValueError:
                continue
            merges.append((min_row, min_col - 1, max_row, max_col - 1))
    return unknown


def _calamine_rows(sheet) -> Iterator[tuple[int, list]]:
    # python-calamine yields rows from row 1 (leading blank rows padded) but columns from the first
    # used column; pad the columns so that index 0 is always column A.
    start = sheet.start
    pad = [""] * start[1] if start and start[1] else None
    for number, values in enumerate(sheet.iter_rows(), start=1):
        yield number, (pad + values if pad else values)


def _openpyxl_rows(ws) -> Iterator[tuple[int, list]]:
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(values)


def _pick_calamine_sheet(book, problems: list[Problem]):
    chosen = None
    headed = []
    metas = book.sheets_metadata
    for meta in metas:
        if str(meta.typ).rsplit(".", 1)[-1] not in ("WorkSheet", "Worksheet"):
            continue
        if str(meta.visible).rsplit(".", 1)[-1] != "Visible" and len(metas) > 1:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        if not sheet.height or sheet.start is None:
            continue
        head = [r for _, r in zip(range(HEAD_SCAN_ROWS), sheet.iter_rows(), strict=False)]
        if any(row_header_score(r) >= 2 for r in head):
            headed.append(meta.name)
            if chosen is None or not chosen[1]:
                chosen = (sheet, True)
        elif chosen is None:
            chosen = (sheet, False)
    if len(headed) > 1:
        problems.append(
            Problem(
                None,
                None,
                None,
                f"工作簿有{len(headed)}个含任务表头的工作表，只导入了第一个「{headed[0]}」",
                "如需导入其他工作表，请将其单独保存为文件后导入",
                "warning",
            )
        )
    return chosen[0] if chosen else None


def _open_xlsx(data: bytes, calamine: ModuleType | None, scan_chunk: int) -> Grid:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unreadable(
            "文件已损坏，无法作为Excel工作簿打开", "请用Excel打开并另存为.xlsx后重新导入"
        ) from exc
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        raise Unreadable("文件不是Excel工作簿（.xlsx）", "请上传Excel工作簿（.xlsx/.xls）或CSV文件")
    problems: list[Problem] = []
    paths = _xlsx_sheet_paths(zf)
    if calamine is not None:
        try:
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = _pick_calamine_sheet(book, problems)
        except Exception as exc:  # calamine raises its own error types for broken parts
            raise Unreadable(f"无法读取工作簿：{exc}", "请用Excel打开并另存为.xlsx后重新导入") from exc
        if sheet is None:
            raise Unreadable("工作簿中没有内容", "请检查是否上传了正确的文件")
        name = sheet.name
        rows = _calamine_rows(sheet)
    else:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise Unreadable(f"无法读取工作簿：{exc}", "请用Excel打开并另存为.xlsx后重新导入") from exc
        ws = next((w for w in wb.worksheets if w.sheet_state == "visible"), wb.worksheets[0])
        name = ws.title
        rows = _openpyxl_rows(ws)
    formulas, merges, unknown = [], [], 0
    member = paths.get(name)
    if member and member in names:
        formulas, merges, unknown = _scan_sheet_xml(zf, member, scan_chunk)
    return Grid(rows, merges, formulas, name, problems, unknown)


def _open_calamine(data: bytes, kind: str, calamine: ModuleType | None) -> Grid:
    if calamine is None:
        raise Unreadable(f"暂不支持{kind}格式", "请用Excel打开并另存为.xlsx后重新导入")
    problems: list[Problem] = []
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = _pick_calamine_sheet(book, problems)
        merges = (
            [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            if sheet
            else []
        )
    except Exception as exc:
        raise Unreadable(f"无法读取{kind}文件：{exc}", "请用Excel打开并另存为.xlsx后重新导入") from exc
    if sheet is None:
        raise Unreadable("工作簿中没有内容", "请检查是否上传了正确的文件")
    return Grid(_calamine_rows(sheet), merges, [], sheet.name, problems)


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            "无法识别文件编码", "请在Excel中另存为“CSV UTF-8（逗号分隔）”或直接上传.xlsx文件"
        ) from exc


def _open_csv(data: bytes) -> Grid:
    text = _decode_text(data)
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) // 100 + 1:
        raise Unreadable("文件不是有效的CSV文本", "请上传Excel工作簿（.xlsx）或CSV文件")
    lines = sample.splitlines()[:20]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise Unreadable(f"CSV文件格式有误：{exc}", "请用Excel打开并另存为.xlsx后重新导入") from exc

    return Grid(rows(), [], [], "")


def load_bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def open_grid(data: bytes, filename: str, *, calamine: ModuleType | None, scan_chunk: int) -> Grid:
    """The grid of a file, sniffed from its content and extension; raises Unreadable."""
    if not data or not data.strip():
        raise Unreadable("文件为空", "请检查是否上传了正确的文件")
    ext = Path(filename or "").suffix.lower()
    head = data[:2048].lower()
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data[: 1 << 20] or _ENCRYPTED_MARK in data:
            raise Unreadable(
                "文件已加密（设置了打开密码），无法读取", "请在Excel中取消密码后另存，再重新导入"
            )
        return _open_calamine(data, "Excel 97-2003（.xls）", calamine)
    if data.startswith(b"PK\x03\x04"):
        if ext == ".ods":
            return _open_calamine(data, "OpenDocument（.ods）", calamine)
        return _open_xlsx(data, calamine, scan_chunk)
    if ext in (".csv", ".txt", ".tsv"):
        return _open_csv(data)
    if b"<html" in head or b"<table" in head or b"<!doctype" in head:
        raise Unreadable(
            "文件是网页格式，并不是真正的Excel文件", "请用Excel打开后另存为“Excel工作簿（.xlsx）”再导入"
        )
    if ext in (".xlsx", ".xlsm", ".xls", ".xltx", ".ods", ".et"):
        raise Unreadable("文件不是有效的Excel工作簿，无法读取", "请用Excel打开并另存为.xlsx后重新导入")
    raise Unreadable(f"不支持的文件类型{ext or ''}", "请上传Excel工作簿（.xlsx/.xls）或CSV文件")


# --------------------------------------------------------------------------------------------------
# merged cells while streaming


def vertical_fill(grid: Grid) -> Iterator[tuple[int, list, set | None, dict | None]]:
    """Rows with vertically merged values copied into every row of their range.

    Yields (row, values, filled_columns, horizontal_merges_starting_here {col0: col1}).
    """
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in grid.merges:
        starts.setdefault(merge[0], []).append(merge)
    active: list[tuple[int, int, int, object]] = []  # (row0, row1, col0, value)
    for number, values in grid.rows:
        horizontal = None
        begun = starts.pop(number, None)
        if begun:
            horizontal = {}
            for r0, c0, r1, c1 in begun:
                if c1 > c0:
                    horizontal[c0] = c1
                if r1 > r0:
                    active.append((r0, r1, c0, values[c0] if c0 < len(values) else ""))
        filled = None
        if active:
            filled = set()
            keep = []
            for entry in active:
                r0, r1, c0, value = entry
                if r0 < number <= r1:
                    if c0 >= len(values):
                        values = list(values) + [""] * (c0 + 1 - len(values))
                    values[c0] = value
                    filled.add(c0)
                if r1 > number:
                    keep.append(entry)
            active = keep
        yield number, values, filled, horizontal
