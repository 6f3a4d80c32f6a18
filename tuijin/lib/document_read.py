"""Read task lists from official Word documents (.docx): task tables and numbered paragraphs with trailers.

:func:`read_task_list` hands a file here when its content is a Word document (whatever its name), and the
result is the same :class:`ParsedSheet` a workbook gives, so one validator, preview and commit serve both.

- Tables: every table with a task header (the spreadsheet import's header recognition, merged cells, category
  rows and numbering — the table is handed to it as a grid of cell texts) is read, also in attachments after
  “附件1”. A table right after it with the same header repeated, or with no header and as many columns,
  continues it (a list broken across pages). Rows are located as “表N第R行”.
- Numbered paragraphs with responsibility trailers: :mod:`tuijin.lib.document_items`; located as “第N段”.
- The document number (郑政办〔2021〕12号) from the first paragraphs becomes ``source_ref``; the notice's
  title (关于印发《…》的通知) the title.

Where a document holds both, all items are read, in document order; when the table's numbers repeat the
paragraphs' (both start at 1), the table's numbers get its attachment in front: “附件1-3”.
The work is split by concern:
    document_body     the .docx as paragraphs (automatic numbering rendered) and tables as grids
    document_items    numbered paragraphs → tasks, categories, children and problems
    document_trailer  trailers, time-limit phrases and titles of one paragraph
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from tuijin.lib.document_body import Paragraph, Table, read_blocks
from tuijin.lib.document_items import read_items
from tuijin.lib.spreadsheet_cells import Grid, Unreadable
from tuijin.lib.spreadsheet_header import HEAD_SCAN_ROWS, Header, detect_mapping, locate_header
from tuijin.lib.spreadsheet_types import ParsedRow, ParsedSheet, Problem

__all__ = ["is_word_document", "read_document"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAM = "Workbook".encode("utf-16-le")
_WORD_MAIN_TYPES = (b"wordprocessingml.document.main", b"wordprocessingml.template.main", b"ms-word.")
_SAVE_AS_DOCX = "请用Word打开并另存为“Word文档（.docx）”后重新导入"
# fields a paragraph item supplies; a document without a table column for them still sets them on update
_PARAGRAPH_FIELDS = ("number", "category", "title", "target", "lead_units", "supporting_units", "limit_text")

_DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fff]{1,15})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,5})\s*号"
)
_NOTICE_TITLE_RE = re.compile(r"关于.{2,}的(?:通知|意见|决定|通报|函|批复|方案)$")
_LIST_TITLE_RE = re.compile(r"(?:清单|方案|计划|分解表?|任务表|要点|安排|台账|一览表)$")
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*(\d+)")
_FILLER_RE = re.compile(r"^(?:续表|（续）|\(续\)|续)?\s*[\d\s\-—–]*$")
_TITLE_SCAN = 30


def is_word_document(data: bytes) -> bool:
    """Whether the bytes are a Word document (.docx, or a legacy .doc), judged by content alone."""
    if data.startswith(_ZIP_MAGIC):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            names = set(zf.namelist())
            if "xl/workbook.xml" in names or "[Content_Types].xml" not in names:
                return False
            types = zf.read("[Content_Types].xml")  # names the main part: a document, template or macro one
            return any(kind in types for kind in _WORD_MAIN_TYPES)
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
    # a legacy .doc: a compound file with a WordDocument stream (and no Workbook: an .xls may embed a .doc)
    return data.startswith(_OLE_MAGIC) and data.find(_WORD_STREAM) >= 0 and data.find(_BOOK_STREAM) < 0


def _failed(message: str, hint: str) -> ParsedSheet:
    return ParsedSheet([], [Problem(None, None, None, message, hint)], {}, {}, 0, "", False, "")


def read_document(data: bytes, mapping: dict[str, str] | None = None) -> ParsedSheet:
    """Read a task list from a Word document. Never raises for bad input: problems are in the result."""
    if data.startswith(_OLE_MAGIC):
        return _failed("这是Word 97-2003文档（.doc），系统只能读取.docx文档", _SAVE_AS_DOCX)
    try:
        blocks = read_blocks(data)
    except Exception as exc:  # python-docx raises many types for broken or foreign packages
        return _failed(f"无法读取Word文档（{type(exc).__name__}）", _SAVE_AS_DOCX)
    try:
        return _read(blocks, mapping)
    except Unreadable as exc:
        return _failed(exc.message, exc.hint)
    except Exception as exc:  # a malformed document must never break the import page
        return _failed(f"无法读取Word文档（{type(exc).__name__}）", _SAVE_AS_DOCX)


# --------------------------------------------------------------------------------------------------
# document number and title


def _notice_title(paragraphs: list[Paragraph]) -> tuple[int, str] | None:
    head = [p.text.strip() for p in paragraphs[:_TITLE_SCAN]]
    for i, text in enumerate(head):
        if "关于" not in text or len(text) > 120:
            continue
        joined = text
        for j in range(i, min(i + 3, len(head))):
            if j > i:
                joined += head[j]
            if _NOTICE_TITLE_RE.search(joined):
                return i, joined
    return None


def document_number(paragraphs: list[Paragraph]) -> str:
    """The document's own number, written as 机关代字〔年份〕序号号, from the paragraphs above its title."""
    notice = _notice_title(paragraphs)
    scan = paragraphs[: notice[0] + 1] if notice else paragraphs[:15]
    for p in scan:
        m = _DOC_NUMBER_RE.search(p.text)
        if m and not m.group(0).startswith("关于"):
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return ""


def document_title(paragraphs: list[Paragraph]) -> str:
    """The notice's title (关于印发《…》的通知), else the first line above the list that names one (…清单/方案)."""
    notice = _notice_title(paragraphs)
    if notice:
        return notice[1][:200]
    for p in paragraphs[:20]:
        text = p.text.strip()
        if (
            6 <= len(text) <= 80
            and _LIST_TITLE_RE.search(text)
            and not text.endswith(("：", ":", "。", "；", "）", ")"))
            and not text.startswith(("附件", "（", "("))
        ):
            return text
    return ""


# --------------------------------------------------------------------------------------------------
# tables


@dataclass
class _Group:
    """One task list in tables: a table and the tables that continue it."""

    tables: list[Table]
    header: Header | None
    label: str  # “附件1” or “表2”
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    where: dict[int, str] = field(default_factory=dict)
    text: dict[int, str] = field(default_factory=dict)

    def add(self, table: Table, skip_through: int = 0) -> None:
        if self.tables[-1] is not table:
            self.tables.append(table)
        kept = set()
        for position, (ordinal, values) in enumerate(table.rows, start=1):
            self.where[ordinal] = f"表{table.index}第{position}行"
            if ordinal <= skip_through:
                continue
            kept.add(ordinal)
            self.rows.append((ordinal, values))
            self.text[ordinal] = " | ".join(v.replace("\n", " ") for v in values if v)
        self.merges += [m for m in table.merges if m[0] in kept]


def _header(table: Table) -> tuple[Header | None, dict[str, int]]:
    head = table.rows[:HEAD_SCAN_ROWS]
    header = locate_header(head, table.merges)
    if header is None:
        return None, {}
    return header, detect_mapping(header)[0]


def _label(table: Table) -> str:
    for text in reversed(table.paragraphs_before):
        m = _ATTACHMENT_RE.match(text)
        if m:
            return f"附件{m.group(1)}"
    return f"表{table.index}"


def _groups(tables: list[Table], has_items: bool) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    headers: dict[int, tuple[Header | None, dict[str, int]]] = {}
    for table in tables:
        if not table.rows:
            continue
        header, fields = headers[table.index] = _header(table)
        adjacent = current is not None and all(_FILLER_RE.match(t) for t in table.paragraphs_before)
        if adjacent and header is not None and current.header and header.texts == current.header.texts:
            current.add(table, skip_through=header.last)
        elif adjacent and header is None and table.width == current.tables[-1].width:
            current.add(table)
        elif (
            header is not None
            and "title" in fields
            and ("lead_units" in fields or "supporting_units" in fields)
        ):
            current = _Group([table], header, _label(table))
            current.add(table)
            groups.append(current)
        else:
            current = None
    if groups or has_items:
        return groups
    # no recognisable task table: offer the first table with a header, else the widest, for column mapping
    candidates = [t for t in tables if t.rows and t.width >= 2]
    if not candidates:
        return []
    headed = [t for t in candidates if headers.get(t.index, (None,))[0] is not None]
    table = headed[0] if headed else max(candidates, key=lambda t: (t.width, -t.index))
    group = _Group([table], headers.get(table.index, (None,))[0], _label(table))
    group.add(table)
    return [group]


def _read_group(group: _Group, override: dict[str, str] | None) -> ParsedSheet:
    from tuijin.lib.spreadsheet_read import _read_grid  # the spreadsheet reader, given a grid of texts

    sheet = _read_grid(Grid(iter(group.rows), group.merges, [], group.label), override)
    for row in sheet.rows:
        row.where = group.where.get(row.row, "")
    for p in sheet.problems:
        if p.row in group.where:
            p.where = group.where[p.row]
            p.message = p.message.replace(f"第{p.row}行", p.where)
            p.quote = p.quote or group.text.get(p.row, "")[:300]
        elif not p.where:
            p.where = f"表{group.tables[0].index}"
    return sheet


def _top_numbers(rows: list[ParsedRow]) -> set[str]:
    return {r.number for r in rows if r.number and (r.parent_number is None or "." in r.number)}


def _prefix(rows: list[ParsedRow], label: str) -> None:
    for r in rows:
        if r.number and (r.parent_number is None or "." in r.number):
            r.number = f"{label}-{r.number}"
        if r.parent_number:
            r.parent_number = f"{label}-{r.parent_number}"


# --------------------------------------------------------------------------------------------------


def _read(blocks: list[Paragraph | Table], override: dict[str, str] | None) -> ParsedSheet:
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    tables = [b for b in blocks if isinstance(b, Table)]
    rows, problems = read_items(paragraphs)
    from_paragraphs = bool(rows)
    title = document_title(paragraphs)
    taken = _top_numbers(rows)
    sheets: list[ParsedSheet] = []
    groups = _groups(tables, has_items=bool(rows) or bool(problems))
    for i, group in enumerate(groups):
        same_layout = i == 0 or (
            group.header and groups[0].header and group.header.texts == groups[0].header.texts
        )
        try:
            sheet = _read_group(group, override if same_layout else None)
        except Unreadable:
            continue  # an empty table
        numbers = _top_numbers(sheet.rows)
        if numbers & taken:
            _prefix(sheet.rows, group.label)
            numbers = _top_numbers(sheet.rows)
        taken |= numbers
        sheets.append(sheet)
        rows += sheet.rows
        problems += sheet.problems
    rows.sort(key=lambda r: r.row)

    first = sheets[0] if sheets else None
    mapping = dict(first.mapping) if first else {}
    if from_paragraphs:
        for name in _PARAGRAPH_FIELDS + (("leader",) if any(r.leader for r in rows) else ()):
            mapping.setdefault(name, "")
    if not rows and not problems and not (first and first.needs_mapping):
        problems.append(
            Problem(
                None,
                None,
                None,
                "文档中没有找到任务：既没有结尾写明责任分工的编号段落，也没有含任务表头的表格",
                "任务可写成“1.……（市科技局牵头，市财政局配合）”的编号段落，或写在含“序号、重点任务、牵头单位”等列的表格中",
            )
        )
    return ParsedSheet(
        rows=rows,
        problems=problems,
        mapping=mapping,
        headers=dict(first.headers) if first else {},
        header_row=first.header_row if first else 0,
        title=title or (first.title if first else ""),
        needs_mapping=any(s.needs_mapping for s in sheets),
        unit_convention="marked" if from_paragraphs else (first.unit_convention if first else ""),
        sheet_name="",
        source_ref=document_number(paragraphs),
    )
