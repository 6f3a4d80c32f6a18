"""Read task lists (清单) as they really arrive: the entry point, :func:`read_task_list`."""

# Files come as .xlsx / .xls / .csv with title lines, two-level merged headers, category rows, vertically
# merged cells, inline （牵头） marks and notes under the table. Pure code (no Django): the table is found
# and raw, cleaned values are returned per row with sheet coordinates; deadline phrases and unit names
# are resolved elsewhere. The work is split by concern:
#   spreadsheet_cells   opening the file, calamine/openpyxl/CSV reading, merged ranges, formula cells
#   spreadsheet_header  column synonyms, header rows, two-level headers, the column mapping
#   spreadsheet_rows    category rows, numbering and parent numbers, one ParsedRow per task
#   spreadsheet_units   unit cells split into lead and supporting units
#   spreadsheet_text    cell values as clean text;  spreadsheet_types  the fields and result types

from __future__ import annotations

from openpyxl.utils.cell import get_column_letter

from tuijin.lib.spreadsheet_cells import Grid, Unreadable, load_bytes, open_grid, vertical_fill
from tuijin.lib.spreadsheet_header import (
    HEAD_SCAN_ROWS,
    MAPPING_HINT,
    Header,
    apply_override,
    detect_mapping,
    locate_header,
    sheet_title,
)
from tuijin.lib.spreadsheet_rows import RowReader
from tuijin.lib.spreadsheet_text import WS_RE, raw_text
from tuijin.lib.spreadsheet_types import FIELD_LABELS, FIELDS, ParsedRow, ParsedSheet, Problem
from tuijin.lib.spreadsheet_units import split_units

try:  # python-calamine is much faster than openpyxl and understands Chinese date formats
    import python_calamine
except ImportError:  # pragma: no cover - exercised through monkeypatch in the tests
    python_calamine = None

__all__ = [
    "FIELD_LABELS",
    "FIELDS",
    "ParsedRow",
    "ParsedSheet",
    "Problem",
    "read_task_list",
    "split_units",
]

FORMULA_HINT = "请将公式粘贴为数值后重新导入"
MAX_FORMULA_PROBLEMS = 50
SCAN_CHUNK = 1 << 20  # bytes of worksheet XML scanned at a time for merges and formulas
# python_calamine and SCAN_CHUNK are looked up here on every call and handed to spreadsheet_cells, so
# this module stays the one place to switch them (the tests turn calamine off and shrink the chunk here).


def _failed(problem: Problem, sheet_name: str = "") -> ParsedSheet:
    return ParsedSheet([], [problem], {}, {}, 0, "", False, "", sheet_name)


def read_task_list(source, filename: str, mapping: dict[str, str] | None = None) -> ParsedSheet:
    """Read a task list from a path, bytes or a binary file object.

    ``filename`` (its extension) tells .xlsx/.xls from .csv; the content is sniffed as well. A Word document
    (.docx) is recognised by its content alone and read by :mod:`tuijin.lib.document_read`.
    ``mapping`` (field -> column letter) overrides the detected columns for the fields it names; an
    empty letter unmaps a field. Never raises for bad input: problems are returned in the sheet.
    """
    try:
        data = load_bytes(source)
    except OSError as exc:
        return _failed(Problem(None, None, None, f"无法读取文件：{exc}", "请重新上传文件"))
    from tuijin.lib.document_read import is_word_document, read_document  # it builds on _read_grid below

    if is_word_document(data):
        return read_document(data, mapping)
    try:
        grid = open_grid(data, filename, calamine=python_calamine, scan_chunk=SCAN_CHUNK)
        return _read_grid(grid, mapping)
    except Unreadable as exc:
        return _failed(Problem(None, None, None, exc.message, exc.hint))
    except Exception as exc:  # a malformed file must never break the import page
        return _failed(
            Problem(
                None,
                None,
                None,
                f"无法读取文件（{type(exc).__name__}）",
                "请用Excel打开并另存为.xlsx后重新导入",
            )
        )


def _read_grid(grid: Grid, override: dict[str, str] | None) -> ParsedSheet:
    problems = list(grid.problems)
    stream = vertical_fill(grid)
    head: list[tuple[int, list, set | None, dict | None]] = []
    for item in stream:
        head.append(item)
        if len(head) >= HEAD_SCAN_ROWS:
            break
    plain_head = [(n, v) for n, v, _, _ in head]
    if not any(raw_text(v).strip() for _, values in plain_head for v in values):
        raise Unreadable("工作表中没有内容", "请检查是否上传了正确的文件")

    header = locate_header(plain_head, grid.merges)
    detected: dict[str, int] = {}
    competition: list[Problem] = []
    competing: dict[str, list[int]] = {}
    if header is None:
        # no recognisable header: offer the first wide row so that a person can map its columns
        guess = next(
            (
                i
                for i, (_, values) in enumerate(plain_head)
                if sum(1 for v in values if raw_text(v).strip()) >= 3
            ),
            None,
        )
        if guess is not None:
            number, values = plain_head[guess]
            texts = {c: [WS_RE.sub("", raw_text(v))] for c, v in enumerate(values) if raw_text(v).strip()}
            header = Header(number, number, texts)
        if not override:
            problems.append(
                Problem(
                    None,
                    None,
                    None,
                    "没有找到表头（序号、重点任务、牵头单位等列名）",
                    MAPPING_HINT,
                )
            )
    else:
        detected, competition, competing = detect_mapping(header)

    override_problems: list[Problem] = []
    if override:
        mapping = apply_override(detected, override, override_problems)
        competing = {f: cols for f, cols in competing.items() if f not in override}
    else:
        mapping = detected
    problems += [p for p in competition if p.field in competing] + override_problems
    needs_mapping = bool(competing or override_problems) or (not detected and not override)

    for fld, label in (("title", "重点任务（任务名称）"), ("lead_units", "牵头单位（责任单位）")):
        if fld not in mapping:
            needs_mapping = True
            problems.append(Problem(None, None, fld, f"没有识别到「{label}」列", MAPPING_HINT))

    header_first = header.first if header else 1
    header_last = header.last if header else 0
    headers = {}
    if header:
        headers = {get_column_letter(c + 1): "/".join(t) for c, t in sorted(header.texts.items())}
    title = sheet_title([v for n, v in plain_head if n < header_first])

    reader = RowReader(mapping, header)
    for item in head:
        if item[0] > header_last:
            reader.feed(*item)
    for item in stream:
        reader.feed(*item)

    # formulas: refused where they feed an imported column
    mapped_cols = set(mapping.values())
    formula_problems = []
    for row, col in sorted(grid.formulas):
        letter = get_column_letter(col + 1)
        imported = col in mapped_cols and row >= header_first
        fld = next((f for f, c in mapping.items() if c == col), None)
        formula_problems.append(
            Problem(
                row,
                letter,
                fld,
                f"单元格{letter}{row}含公式，系统不读取公式" + ("" if imported else "（该列不导入，已忽略）"),
                FORMULA_HINT,
                "error" if imported else "warning",
            )
        )
    if grid.formula_unknown:
        formula_problems.append(
            Problem(None, None, None, f"表中有{grid.formula_unknown}个含公式的单元格", FORMULA_HINT)
        )
    if len(formula_problems) > MAX_FORMULA_PROBLEMS:
        extra = len(formula_problems) - MAX_FORMULA_PROBLEMS
        formula_problems = formula_problems[:MAX_FORMULA_PROBLEMS] + [
            Problem(None, None, None, f"另有{extra}个单元格含公式", FORMULA_HINT)
        ]

    convention = reader.unit_convention()
    if convention != "columns" and reader.marked_multi and reader.unmarked_multi:
        problems.append(
            Problem(
                None,
                reader.columns.get("lead_units"),
                "lead_units",
                f"责任单位列有{reader.marked_multi}行用“（牵头）”标明了牵头单位，另有{reader.unmarked_multi}行"
                "列了多个单位但没有标明，已按“排在首位的为牵头单位”处理",
                "请核对这些行的牵头单位；如不对，请在表中用“（牵头）”标明后重新导入",
                "warning",
            )
        )
    if not reader.rows and not needs_mapping:
        problems.append(Problem(None, None, None, "表中没有找到任务行", "请检查表头下方是否填写了任务"))

    problems = problems + formula_problems + reader.problems
    return ParsedSheet(
        rows=reader.rows,
        problems=problems,
        mapping=dict(reader.columns),
        headers=headers,
        header_row=header_last,
        title=title,
        needs_mapping=needs_mapping,
        unit_convention=convention,
        sheet_name=grid.sheet_name,
    )
