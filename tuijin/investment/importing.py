"""Importing enterprises and projects from a spreadsheet: a preview that writes nothing, then one transaction.

`preview_import(kind="projects" | "enterprises", …)` reads the sheet (title lines above the table, headings in any
order, merged cells, .xlsx/.xls/.csv — the reader of the task import, tuijin/lib/spreadsheet_cells.py), reads every
cell (importing_values.py) and checks every row against the rules of the pipeline, collecting each problem with
its row and column: unknown sector, category, channel or venture-capital firm; credit codes with a wrong length,
character or check digit; money without a unit; dates that are not dates or lie in the future; stages without
their dates; duplicates within the file and against the database. `commit_import` saves a preview without errors
through the pipeline's services (importing_save.py) — all rows or none.

The columns are those the export writes (exporting.py), so an exported list can be edited and read back in.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import itertools
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.cell import get_column_letter

from tuijin.lib import spreadsheet_read
from tuijin.lib.spreadsheet_cells import Unreadable, load_bytes, open_grid, vertical_fill

from . import importing_values as v

MAX_ROWS = 5000
HEAD_SCAN_ROWS = 15
KINDS = {"projects": gettext_lazy("Projects"), "enterprises": gettext_lazy("Enterprises")}

# field -> (heading the export writes, other headings people use). Money headings carry their unit.
PROJECT_COLUMNS = {
    "name": ("项目名称", ("项目", "项目名")),
    "enterprise": ("企业名称", ("企业", "投资方", "投资主体", "签约主体", "签约企业", "企业（机构）名称", "机构名称")),
    "credit_code": ("统一社会信用代码", ("信用代码", "社会信用代码", "统一信用代码")),
    "origin": ("企业来源", ("来源地", "来源", "投资方来源", "企业来源地")),
    "industry": ("所属行业", ("行业", "产业领域", "产业类别", "产业")),
    "sector": ("所属板块", ("板块", "落地板块", "承接板块", "责任板块")),
    "category": ("项目类别", ("类别", "招商类别", "主体类别", "引进类别")),
    "channel": ("招商方式", ("招商渠道", "方式", "渠道")),
    "venture_firm": ("合作创投机构", ("创投机构", "合作机构", "合作基金", "创投机构名称")),
    "kind": ("项目性质", ("性质", "项目类型")),
    "base_project": ("增资/升级的原项目", ("原项目", "增资原项目", "升级原项目")),
    "planned_investment": ("计划投资（万元）", ("计划总投资", "总投资", "投资额", "计划投资")),
    "contract_amount": ("签约金额（万元）", ("合同金额", "协议金额", "合同额", "签约金额", "签约额")),
    "increment_amount": ("增资/升级金额（万元）", ("增资金额", "升级金额", "新增投资", "增资/升级金额")),
    "funds_arrived": ("到位资金（万元）", ("资金到位", "实际到位资金", "到位资金", "到位金额")),
    "registered_capital": ("注册资本（万元）", ("注册资本", "注册资金")),
    "stage": ("阶段", ("项目阶段", "进展阶段", "当前阶段", "推进阶段", "项目进展")),
    "entered_on": ("线索日期", ("入库日期", "录入日期", "立项日期", "对接日期")),
    "agreement_type": ("协议类型", ("签约类型", "协议")),
    "signed_on": ("签约日期", ("签约时间", "首次签约日期")),
    "registered_on": ("注册日期", ("注册时间",)),
    "landed_on": ("落地日期", ("入驻日期", "落地时间", "入驻时间", "落地/入驻日期")),
    "started_on": ("开工日期", ("开工时间",)),
    "operating_on": ("投产日期", ("运营日期", "投产时间", "投产/运营日期")),
    "dropped_on": ("终止日期", ("终止时间",)),
    "dropped_reason": ("终止原因", ()),
    "responsible_leader": ("包抓领导", ("责任领导", "分包领导")),
    "officer": ("招商专员", ("招商负责人", "负责人", "跟进人")),
    "description": ("项目简介", ("项目内容", "建设内容", "项目概况")),
}  # fmt: skip
ENTERPRISE_COLUMNS = {
    "name": ("企业名称", ("企业", "名称", "机构名称", "企业（机构）名称")),
    "credit_code": ("统一社会信用代码", ("信用代码", "社会信用代码", "统一信用代码")),
    "industry": ("所属行业", ("行业", "产业领域")),
    "origin": ("企业来源", ("来源地", "来源", "企业来源地")),
    "address": ("地址", ("注册地址", "企业地址", "办公地址")),
    "note": ("备注", ("说明",)),
    "contact_name": ("联系人", ("联系人姓名",)),
    "contact_position": ("联系人职务", ("职务",)),
    "contact_phone": ("联系电话", ("手机", "联系方式", "手机号码", "电话")),
}  # fmt: skip
COLUMNS = {"projects": PROJECT_COLUMNS, "enterprises": ENTERPRISE_COLUMNS}
REQUIRED = {"projects": ("name", "enterprise", "sector", "category"), "enterprises": ("name",)}
FIELD_NAMES = {
    "name": gettext_lazy("Name"), "enterprise": gettext_lazy("Enterprise"), "credit_code": gettext_lazy("Credit code"),
    "origin": gettext_lazy("Origin"), "industry": gettext_lazy("Industry"), "sector": gettext_lazy("Sector"),
    "category": gettext_lazy("Category"), "channel": gettext_lazy("Channel"),
    "venture_firm": gettext_lazy("Venture-capital partner"), "kind": gettext_lazy("Kind"),
    "base_project": gettext_lazy("Base project"), "planned_investment": gettext_lazy("Planned investment"),
    "contract_amount": gettext_lazy("Contract amount"), "increment_amount": gettext_lazy("Increase or upgrade amount"),
    "funds_arrived": gettext_lazy("Funds arrived"), "registered_capital": gettext_lazy("Registered capital"),
    "stage": gettext_lazy("Stage"), "entered_on": gettext_lazy("Lead date"),
    "agreement_type": gettext_lazy("Agreement"), "signed_on": gettext_lazy("Signed on"),
    "registered_on": gettext_lazy("Registered on"), "landed_on": gettext_lazy("Landed on"),
    "started_on": gettext_lazy("Construction started on"), "operating_on": gettext_lazy("Operating since"),
    "dropped_on": gettext_lazy("Dropped on"), "dropped_reason": gettext_lazy("Reason for dropping"),
    "responsible_leader": gettext_lazy("Responsible leader"), "officer": gettext_lazy("Officer"),
    "description": gettext_lazy("Description"), "address": gettext_lazy("Address"), "note": gettext_lazy("Note"),
    "contact_name": gettext_lazy("Contact"), "contact_position": gettext_lazy("Position"),
    "contact_phone": gettext_lazy("Phone"),
}  # fmt: skip
MONEY_FIELDS = {
    "planned_investment",
    "contract_amount",
    "increment_amount",
    "funds_arrived",
    "registered_capital",
}
DATE_FIELDS = {
    "entered_on",
    "signed_on",
    "registered_on",
    "landed_on",
    "started_on",
    "operating_on",
    "dropped_on",
}


class ImportRefused(Exception):
    """The preview has errors, or saving met one; nothing was saved."""


@dataclass(slots=True)
class ImportProblem:
    """One thing wrong with the sheet, where it is (row and column as Excel shows them) and how to fix it."""

    row: int | None
    column: str | None
    field: str | None
    message: str
    hint: str = ""
    level: str = "error"  # "error" | "warning"

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    @property
    def field_label(self) -> str:
        return str(FIELD_NAMES.get(self.field or "", self.field or ""))

    def as_line(self) -> str:
        """`第R行 C列 [field] message — hint`, as the command prints it."""
        where = [f"第{self.row}行"] if self.row else []
        if self.column:
            where.append(f"{self.column}列")
        if self.field:
            where.append(f"[{self.field_label}]")
        line = " ".join(where + [self.message])
        return f"{line} — {self.hint}" if self.hint else line


@dataclass
class PreviewRow:
    """One row as it will be saved: the values read, what they resolve to, and whether it has problems."""

    row: int
    values: dict  # field -> value read (text, Decimal 万元, date, choice value)
    columns: dict[str, str]  # field -> column letter (shared by the rows of a sheet)
    resolved: dict = field(default_factory=dict)  # field -> model instance / choice, filled by the checks
    enterprise_state: str = ""  # "existing" | "new" | "in_file" (a new enterprise named on an earlier row)
    moves: list = field(default_factory=list)  # [(stage, date)] replayed after creating the project
    has_error: bool = False
    has_warning: bool = False

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    def label(self, name: str) -> str:
        texts = {"stage": v.STAGE_TEXT, "channel": v.CHANNEL_TEXT, "kind": v.KIND_TEXT, "origin": v.ORIGIN_TEXT,
                 "agreement_type": v.AGREEMENT_TEXT}[name]  # fmt: skip
        value = self.values.get(name)
        return texts.get(value, "") if value else ""

    @property
    def stage_label(self) -> str:
        return self.label("stage")

    @property
    def channel_label(self) -> str:
        return self.label("channel")

    @property
    def kind_label(self) -> str:
        return self.label("kind")

    @property
    def origin_label(self) -> str:
        return self.label("origin")


@dataclass
class ImportPreview:
    kind: str
    filename: str
    sha256: str
    size: int
    sheet_name: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> letter
    headers: dict[str, str] = field(default_factory=dict)  # letter -> heading as written
    ignored: list[str] = field(default_factory=list)  # headings of columns not imported
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    new_enterprises: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def can_commit(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def summary(self) -> dict:
        return {"kind": self.kind, "rows": len(self.rows), "new_enterprises": len(self.new_enterprises),
                "errors": len(self.errors), "warnings": len(self.warnings)}  # fmt: skip


def _heading_key(text: str) -> str:
    key = v.plain(text).replace("*", "").replace("（", "(").replace("）", ")")
    return key.rstrip(":：")


def _match_heading(text: str, columns: dict) -> str | None:
    """The field a heading names: exactly (without its unit in brackets), else the longest name of four characters
    or more it starts with (企业名称（全称） is the enterprise; 企业地址 is nothing)."""
    key = _heading_key(text)
    if not key:
        return None
    bare = key.split("(")[0]
    best, best_len = None, 0
    for name, (heading, others) in columns.items():
        for candidate in (heading, *others):
            ckey = _heading_key(candidate)
            if key == ckey or bare == ckey.split("(")[0]:
                return name
            cbare = ckey.split("(")[0]
            if len(cbare) >= 4 and bare.startswith(cbare) and len(cbare) > best_len:
                best, best_len = name, len(cbare)
    return best


def _locate_header(head: list[tuple[int, list]], columns: dict, kind: str):
    """The row of headings: the one naming most fields, among the first rows, with the name column."""
    best = None
    for number, values in head:
        found: dict[str, list[int]] = {}
        for col, value in enumerate(values):
            name = _match_heading(v.text(value), columns)
            if name:
                found.setdefault(name, []).append(col)
        if REQUIRED[kind][0] in found and len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (number, found, values)
    return best


def preview_import(
    *, kind: str, source, filename: str, actor=None, today: datetime.date | None = None
) -> ImportPreview:
    """Read the sheet and say what importing it would do, with every problem. Writes nothing. `actor` (the
    importing officer) limits the sectors projects may be filed in; None checks no scope (a dry run)."""
    if kind not in COLUMNS:
        raise ValueError(kind)
    today = today or timezone.localdate()
    try:
        data = load_bytes(source)
    except OSError as exc:
        preview = ImportPreview(kind, filename, "", 0)
        preview.problems.append(
            ImportProblem(None, None, None, _("The file cannot be read: %(e)s") % {"e": exc})
        )
        return preview
    preview = ImportPreview(
        kind=kind, filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )
    try:
        grid = open_grid(data, filename, calamine=spreadsheet_read.python_calamine,
                         scan_chunk=spreadsheet_read.SCAN_CHUNK)  # fmt: skip
        raw_rows = _read(grid, preview, kind)
    except Unreadable as exc:
        preview.problems.append(ImportProblem(None, None, None, exc.message, exc.hint))
        return preview
    except Exception as exc:  # a malformed file must never break the import page
        preview.problems.append(ImportProblem(None, None, None, _("The file cannot be read (%(e)s).") % {
            "e": type(exc).__name__}, _("Open it in Excel, save it as .xlsx and upload it again.")))  # fmt: skip
        return preview
    if raw_rows is None:
        return preview
    from .importing_rows import check_enterprise_rows, check_project_rows

    if kind == "projects":
        check_project_rows(preview, raw_rows, actor=actor, today=today)
    else:
        check_enterprise_rows(preview, raw_rows, actor=actor, today=today)
    errors = {p.row for p in preview.problems if p.is_error and p.row}
    warnings = {p.row for p in preview.problems if not p.is_error and p.row}
    for row in preview.rows:
        row.has_error, row.has_warning = row.row in errors, row.row in warnings
    preview.problems.sort(key=lambda p: (p.row or 0, len(p.column or ""), p.column or "", not p.is_error))
    return preview


def _read(grid, preview: ImportPreview, kind: str) -> list[tuple[int, dict]] | None:
    """The data rows as {field: raw value} with their sheet row numbers; None when the sheet cannot be imported
    (the reason is among the preview's problems)."""
    columns = COLUMNS[kind]
    preview.sheet_name = grid.sheet_name
    preview.problems.extend(
        ImportProblem(p.row, p.column, None, p.message, p.hint, p.level) for p in grid.problems
    )
    stream = vertical_fill(grid)
    head = []
    for item in stream:
        head.append(item)
        if len(head) >= HEAD_SCAN_ROWS:
            break
    located = _locate_header([(item[0], item[1]) for item in head], columns, kind)
    if located is None:
        names = "、".join(columns[name][0] for name in REQUIRED[kind])
        preview.problems.append(ImportProblem(None, None, None, _("No row of headings was found."),
                                              _("The first rows must hold the column headings, with at least: %(names)s. "
                                                "Download the template to see them.") % {"names": names}))  # fmt: skip
        return None
    header_row, found, heading_values = located
    preview.header_row = header_row
    mapping: dict[str, int] = {}
    for name, cols in found.items():
        if len(cols) > 1:
            letters = "、".join(get_column_letter(c + 1) for c in cols)
            preview.problems.append(ImportProblem(header_row, get_column_letter(cols[1] + 1), name,
                                                  _("Columns %(cols)s are all headed as %(field)s.") % {
                                                      "cols": letters, "field": FIELD_NAMES[name]},
                                                  _("Keep one of them, or rename the others.")))  # fmt: skip
        mapping[name] = cols[0]
    for col, value in enumerate(heading_values):
        heading = v.text(value)
        letter = get_column_letter(col + 1)
        if heading:
            preview.headers[letter] = heading
            if col not in mapping.values():
                preview.ignored.append(f"{letter}「{heading}」")
    preview.columns = {name: get_column_letter(col + 1) for name, col in mapping.items()}
    missing = [name for name in REQUIRED[kind] if name not in mapping]
    for name in missing:
        preview.problems.append(ImportProblem(header_row, None, name, _("There is no %(heading)s column.") % {
            "heading": columns[name][0]}, _("Add the column with this heading; the template has it.")))  # fmt: skip
    units = {
        name: v.header_unit(v.text(heading_values[col]))
        for name, col in mapping.items()
        if name in MONEY_FIELDS
    }
    formulas = {(row, col) for row, col in grid.formulas if col in mapping.values() and row > header_row}
    field_of = {col: name for name, col in mapping.items()}
    for row, col in sorted(formulas):
        preview.problems.append(ImportProblem(row, get_column_letter(col + 1), field_of[col],
                                              _("The cell holds a formula; formulas are not read."),
                                              _("Paste the values instead of the formulas and upload again.")))  # fmt: skip
    rows: list[tuple[int, dict]] = []
    for number, values, _filled, _h in itertools.chain(head, stream):
        if number <= header_row:
            continue
        cells = {name: (values[col] if col < len(values) else None) for name, col in mapping.items()}
        texts = [v.text(value) for value in values]
        filled = [t for t in texts if t]
        if not filled:
            continue
        if len(filled) == 1 and filled[0].startswith(("注", "说明", "备注", "填表", "合计", "总计")):
            continue  # a note or a total under the table
        if len(rows) >= MAX_ROWS:
            preview.problems.append(ImportProblem(number, None, None, _("The sheet has more than %(n)s rows.") % {
                "n": MAX_ROWS}, _("Split it into several files.")))  # fmt: skip
            return None
        cells["_units"] = units
        rows.append((number, cells))
    if missing:
        return None
    if not rows:
        preview.problems.append(ImportProblem(None, None, None, _("The sheet has no rows under its headings."),
                                              _("Fill in one row per project or enterprise.")))  # fmt: skip
        return None
    return rows


# ——— similar enterprise names (as services.find_duplicates, for many names with one query) ———


def similar_names(keys: list[str], existing: list[tuple[int, str]], ratio: float) -> dict[str, list[int]]:
    """For each name key, the ids of existing enterprises whose name keys are at least `ratio` alike."""
    found: dict[str, list[int]] = {}
    for key in keys:
        matcher = difflib.SequenceMatcher(a=key, autojunk=False)
        hits = []
        for pk, other in existing:
            if not other or other == key:
                continue
            matcher.set_seq2(other)
            if (
                matcher.real_quick_ratio() >= ratio
                and matcher.quick_ratio() >= ratio
                and matcher.ratio() >= ratio
            ):
                hits.append(pk)
        if hits:
            found[key] = hits[:5]
    return found


from .importing_save import commit_import  # noqa: E402  (saving builds on the names above)

__all__ = ["ImportPreview", "ImportProblem", "ImportRefused", "PreviewRow", "commit_import", "preview_import"]
