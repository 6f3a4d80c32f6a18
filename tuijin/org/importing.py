"""Importing units from a spreadsheet: read → plan (preview with every problem) → apply all at once, or nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.lib import file_checks

from .models import Unit, UnitKind
from .services import (
    UNIT_MANAGERS,
    _ancestors_loop,
    _set_aliases,
    _unit_snapshot,
    require_role,
    split_aliases,
)

#
# Reading gives a `sheet`: plain strings with their row numbers and column letters, small enough to keep in the
# session between preview and confirmation. Planning checks a sheet against the database as it is now; applying
# plans again inside the transaction, so a confirmation never saves anything the preview did not show.

IMPORT_MAX_ROWS = 3000
HEADER_SEARCH_ROWS = 10
IMPORT_FIELDS = ("name", "short_name", "kind", "parent", "aliases")
IMPORT_HEADERS = {
    "name": ("单位名称", "名称", "单位", "name"),
    "short_name": ("简称", "单位简称", "short name", "short_name"),
    "kind": ("类型", "单位类型", "kind", "type"),
    "parent": ("上级单位", "上级", "parent", "parent unit"),
    "aliases": ("别名", "曾用名", "aliases", "alias"),
}
KIND_WORDS = {
    "板块": UnitKind.SECTOR,
    "板块管委会": UnitKind.SECTOR,
    "管委会": UnitKind.SECTOR,
    "市直部门": UnitKind.DEPARTMENT,
    "市直单位": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
    "区县": UnitKind.DISTRICT,
    "区县(市)": UnitKind.DISTRICT,
    "县(市)区": UnitKind.DISTRICT,
    "市直机关": UnitKind.CITY_OFFICE,
    "其他": UnitKind.OTHER,
    "其它": UnitKind.OTHER,
} | {kind.value: kind for kind in UnitKind}
KIND_HINT = "板块、市直部门、区县、市直机关、其他"


def _header_key(text: str) -> str:
    return re.sub(r"[\s*＊:：]", "", text).replace("（", "(").replace("）", ")").lower()


def _kind_from_text(text: str) -> str | None:
    key = _header_key(text)
    if key in KIND_WORDS:
        return KIND_WORDS[key]
    for kind in UnitKind:  # English or translated labels, as a list exported from the page would have them
        if key in (_header_key(str(kind.label)), kind.value.replace("_", "")):
            return kind.value
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers store wrong dimensions; read every row that is there
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS:
                break
        return rows
    finally:
        book.close()


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return [
        [_cell_text(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def _find_header(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The header row (titles may stand above it) and the index of each known column in it."""
    known = {_header_key(h): name for name, headers in IMPORT_HEADERS.items() for h in headers}
    for header_index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = known.get(_header_key(cell))
            if name and name not in columns:
                columns[name] = index
        if "name" in columns:
            return header_index, columns
    raise ValidationError(
        _("No header row with a column named 单位名称 was found in the first %(n)s rows.")
        % {"n": HEADER_SEARCH_ROWS}
    )


def read_unit_sheet(filename: str, data: bytes) -> dict:
    """The unit rows of an .xlsx or .csv file as plain strings; ValidationError if the file cannot be used."""
    suffix = PurePath(filename).suffix.lower()
    file_checks.refuse_active_content(filename, data)
    if suffix == ".xlsx":
        if data.startswith(file_checks.ZIP_MAGIC):  # zip bomb, macros: before openpyxl unpacks anything
            file_checks.check_office_zip(filename, data)
        table = _read_xlsx(data)
    elif suffix == ".csv":
        table = _read_csv(data)
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    header_index, columns = _find_header(table)
    rows = []
    for offset, cells in enumerate(table[header_index + 1 :]):
        values = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
        if any(values.values()):
            rows.append({"row": header_index + offset + 2, "values": values})
    if len(rows) > IMPORT_MAX_ROWS:
        raise ValidationError(_("The file has more than %(n)s units; split it.") % {"n": IMPORT_MAX_ROWS})
    if not rows:
        raise ValidationError(_("The file has a header row but no units under it."))
    return {"columns": {name: _column_letter(index) for name, index in columns.items()}, "rows": rows}


@dataclass
class ImportProblem:
    """One thing wrong with one cell (or row) of an import file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % vars(self)
        return _("Row %(row)s: %(message)s") % vars(self)


@dataclass
class ImportRow:
    """One unit as the file describes it, and what importing it would do."""

    row: int
    name: str
    short_name: str = ""
    kind: str = ""
    parent: str = ""
    aliases: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    unit: Unit | None = None
    changes: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "update" if self.unit else "create"

    def cells(self, columns: dict) -> list[dict]:
        """The row's cells in import order, each with its problems, for the preview table."""
        result = []
        for name in IMPORT_FIELDS:
            letter = columns.get(name, "")
            errors = [p.message for p in self.problems if letter and p.column == letter]
            result.append(
                {"field": name, "letter": letter, "value": self.values.get(name, ""), "errors": errors}
            )
        return result


@dataclass
class ImportPlan:
    """What an import file would do, or why it cannot be imported."""

    sheet: dict
    rows: list[ImportRow]
    problems: list[ImportProblem]

    @property
    def columns(self) -> dict:
        return self.sheet["columns"]

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.unit is None)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.unit and r.changes)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.unit and not r.changes)

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(IMPORT_HEADERS[name][0], self.columns.get(name, "")) for name in IMPORT_FIELDS]

    @property
    def preview_rows(self) -> list[tuple[ImportRow, list[dict]]]:
        return [(row, row.cells(self.columns)) for row in self.rows]


class ImportRejected(Exception):
    """The import has problems; nothing was saved."""

    def __init__(self, plan: ImportPlan):
        super().__init__(_("%(n)s problems; nothing was saved.") % {"n": len(plan.problems)})
        self.plan = plan


def plan_unit_import(sheet: dict) -> ImportPlan:
    """Check every row of `sheet` against the others and the database; nothing is written."""
    columns = sheet["columns"]
    problems: list[ImportProblem] = []
    existing = {u.name: u for u in Unit.objects.select_related("parent").prefetch_related("aliases")}

    def problem(row: ImportRow, column: str, message: str) -> None:
        item = ImportProblem(row.row, columns.get(column, ""), message)
        row.problems.append(item)
        problems.append(item)

    rows: list[ImportRow] = []
    first_row: dict[str, int] = {}
    for raw in sheet["rows"]:
        values = raw["values"]
        row = ImportRow(row=raw["row"], name=values.get("name", "").strip(), values=values)
        rows.append(row)
        if not row.name:
            problem(row, "name", _("The unit name is empty."))
            continue
        if len(row.name) > 100:
            problem(row, "name", _("The unit name is longer than 100 characters."))
        if row.name in first_row:
            problem(
                row,
                "name",
                _("“%(name)s” is already on row %(row)s.") % {"name": row.name, "row": first_row[row.name]},
            )
            continue
        first_row[row.name] = row.row
        row.unit = existing.get(row.name)
        row.short_name = values.get("short_name", "").strip()
        if len(row.short_name) > 50:
            problem(row, "short_name", _("The short name is longer than 50 characters."))
        kind_text = values.get("kind", "").strip()
        if kind_text:
            row.kind = _kind_from_text(kind_text) or ""
            if not row.kind:
                problem(row, "kind", _("Kind “%(value)s” is not recognised; use one of: %(choices)s")
                        % {"value": kind_text, "choices": KIND_HINT})  # fmt: skip
        elif row.unit is None:
            problem(row, "kind", _("The kind is empty; use one of: %(choices)s") % {"choices": KIND_HINT})
        row.parent = values.get("parent", "").strip()
        row.aliases = [a for a in split_aliases(values.get("aliases", "")) if a != row.name]
        for alias in row.aliases:
            if len(alias) > 100:
                problem(row, "aliases", _("“%(alias)s” is longer than 100 characters.") % {"alias": alias})
    named = [r for r in rows if r.name and first_row.get(r.name) == r.row]

    # The state after the import: blank cells leave an existing unit's value as it is.
    final_aliases = {name: {a.name for a in unit.aliases.all()} for name, unit in existing.items()}
    for row in named:
        if row.aliases or row.unit is None:
            final_aliases[row.name] = set(row.aliases)
    alias_owners: dict[str, set[str]] = {}
    for name, aliases in final_aliases.items():
        for alias in aliases:
            alias_owners.setdefault(alias, set()).add(name)
    all_names = set(existing) | set(first_row)
    final_parent = {name: unit.parent.name if unit.parent else None for name, unit in existing.items()}
    for row in named:
        owners = alias_owners.get(row.name, set()) - {row.name}
        if owners:
            problem(row, "name", _("“%(name)s” is an alias of %(unit)s; use that name, or move the alias first.")
                    % {"name": row.name, "unit": "、".join(sorted(owners))})  # fmt: skip
        for alias in row.aliases:
            others = alias_owners.get(alias, set()) - {row.name}
            if alias in all_names:
                problem(
                    row, "aliases", _("Alias “%(alias)s” is the name of another unit.") % {"alias": alias}
                )
            elif others:
                problem(row, "aliases", _("Alias “%(alias)s” also belongs to %(unit)s.")
                        % {"alias": alias, "unit": "、".join(sorted(others))})  # fmt: skip
        if row.parent:
            owners = alias_owners.get(row.parent, set())
            parent = (
                row.parent if row.parent in all_names else (next(iter(owners)) if len(owners) == 1 else None)
            )
            if parent is None:
                problem(row, "parent", _("Parent unit “%(parent)s” is neither in this file nor an existing unit.")
                        % {"parent": row.parent})  # fmt: skip
            elif parent == row.name:
                problem(row, "parent", _("A unit cannot be its own parent."))
            else:
                row.parent = parent
                final_parent[row.name] = parent
        elif row.unit is None:
            final_parent[row.name] = None
    for row in named:
        if row.parent and row.parent != row.name and _ancestors_loop(final_parent, row.parent, row.name):
            problem(row, "parent", _("Parent unit “%(parent)s” is below “%(name)s”; that would make a loop.")
                    % {"parent": row.parent, "name": row.name})  # fmt: skip
    for row in named:
        if row.unit is not None:
            row.changes = _import_changes(row, final_aliases[row.name])
    problems.sort(key=lambda p: (p.row, p.column))
    return ImportPlan(sheet=sheet, rows=rows, problems=problems)


def _import_changes(row: ImportRow, aliases: set[str]) -> list[str]:
    unit = row.unit
    assert unit is not None
    changes = []
    if row.short_name and row.short_name != unit.short_name:
        changes.append("short_name")
    if row.kind and row.kind != unit.kind:
        changes.append("kind")
    if row.parent and row.parent != (unit.parent.name if unit.parent else None):
        changes.append("parent")
    if aliases != {a.name for a in unit.aliases.all()}:
        changes.append("aliases")
    return changes


@transaction.atomic
def apply_unit_import(*, actor, sheet: dict, filename: str = "") -> ImportPlan:
    """Create and update every unit of `sheet`, or nothing (ImportRejected) if any row has a problem."""
    require_role(actor, *UNIT_MANAGERS)
    plan = plan_unit_import(sheet)
    if plan.problems:
        raise ImportRejected(plan)
    rows = [r for r in plan.rows if r.unit is None or r.changes]
    before = {r.name: _unit_snapshot(r.unit) for r in rows if r.unit}
    units: dict[str, Unit] = {}
    for row in rows:
        unit = row.unit or Unit(name=row.name, kind=row.kind)
        if row.short_name:
            unit.short_name = row.short_name
        if row.kind:
            unit.kind = row.kind
        unit.save()
        units[row.name] = unit
    by_name = {u.name: u for u in Unit.objects.filter(name__in={r.parent for r in rows if r.parent})}
    for row in rows:
        if row.parent and units[row.name].parent_id != by_name[row.parent].pk:
            units[row.name].parent = by_name[row.parent]
            units[row.name].save(update_fields=["parent"])
    # Aliases that move between units are deleted everywhere before any is created.
    replaced = [r for r in rows if r.aliases or r.unit is None]
    for row in replaced:
        units[row.name].aliases.exclude(name__in=row.aliases).delete()
    for row in replaced:
        _set_aliases(units[row.name], row.aliases)
    for row in rows:
        unit = units[row.name]
        record(actor=actor, action="unit.update" if row.unit else "unit.create", obj=unit,
               before=before.get(row.name), after=_unit_snapshot(unit))  # fmt: skip
    record(actor=actor, action="unit.import", object_type="org.unit", object_repr=filename[:255],
           after={"file": filename, "created": plan.created, "updated": plan.updated,
                  "unchanged": plan.unchanged})  # fmt: skip
    return plan
