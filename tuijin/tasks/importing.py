"""Importing a task list (清单) from a workbook: a preview that writes nothing, then one transaction that saves it.

`preview_import` reads the sheet, resolves every unit and time limit and matches the rows against the plan
of that name, collecting each problem with its row and column. `commit_import` saves a preview that has no
errors — tasks, responsible units, milestones, one timeline event per task and one audit row for the whole
import — with bulk writes in batches, so a list of 100,000 rows is neither slow nor memory-hungry.
A row whose number (within its parent) matches a task of the plan updates that task; re-importing the
same list therefore changes nothing instead of duplicating it.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.lib.deadlines import ParsedLimit, parse_limit
from tuijin.lib.spreadsheet import ParsedRow, read_task_list
from tuijin.org.models import Unit
from tuijin.org.resolve import UnitResolver, normalise_unit_name

from .models import Plan, SourceKind, Task, TaskEvent, TaskUnit
from .numbering import sort_key

BATCH = 2000

# The fields a person can map to a column, in the order of a usual list (the lib's 备注 is not kept).
FIELD_NAMES = {
    "number": gettext_lazy("Number"),
    "category": gettext_lazy("Category"),
    "title": gettext_lazy("Task"),
    "target": gettext_lazy("Target"),
    "lead_units": gettext_lazy("Lead units"),
    "supporting_units": gettext_lazy("Supporting units"),
    "leader": gettext_lazy("Responsible leader"),
    "owner": gettext_lazy("Responsible person"),
    "limit_text": gettext_lazy("Time limit"),
}
# What an update compares, with the label the preview shows for a change.
COMPARED = {
    "category": gettext_lazy("Category"),
    "title": gettext_lazy("Task"),
    "target": gettext_lazy("Target"),
    "leader": gettext_lazy("Responsible leader"),
    "owner": gettext_lazy("Responsible person"),
    "limit_text": gettext_lazy("Time limit"),
    "parent": gettext_lazy("Parent task"),
    "lead": gettext_lazy("Lead units"),
    "support": gettext_lazy("Supporting units"),
}


class ImportRefused(Exception):
    """The preview has errors (or went stale); nothing was saved."""


@dataclass(slots=True)
class ImportProblem:
    """One thing wrong with the list, where it is, and how to fix it."""

    row: int | None
    column: str | None
    field: str | None
    message: str
    hint: str = ""
    level: str = "error"  # "error" | "warning"
    where: str = ""  # a Word document: “第12段”, “表1第5行” (its `row` only orders the problems then)
    quote: str = ""  # the paragraph or table row in question

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    @property
    def field_label(self) -> str:
        return str(FIELD_NAMES.get(self.field or "", self.field or ""))

    def as_line(self) -> str:
        """`第R行 C列 [field] message — hint` (a document: `第N段 …「quote」`), as the command prints it."""
        where = []
        if self.where:
            where.append(self.where)
        elif self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"{self.column}列")
        if self.field:
            where.append(f"[{self.field_label}]")
        line = " ".join(where + [self.message])
        if self.quote:
            line = f"{line}「{self.quote}」"
        return f"{line} — {self.hint}" if self.hint else line


@dataclass(slots=True)
class PreviewRow:
    """One task row of the list as it will be saved: resolved units, parsed limit, new or updating which task."""

    source: ParsedRow
    key: str  # number path within the plan, e.g. "3/(1)"; "" when the row has no number
    parent_key: str | None
    sort_key: str
    lead: tuple  # Unit, or the name (str) of a unit to be created
    support: tuple
    limit: ParsedLimit
    existing_id: int | None = None
    changes: list[tuple[str, str, str]] | None = None  # (field, before, after) for an update
    has_error: bool = False
    has_warning: bool = False
    unknown_lead: tuple[str, ...] = ()  # names no unit answers to (the row has an error then)
    unknown_support: tuple[str, ...] = ()

    @property
    def row(self) -> int:
        return self.source.row

    @property
    def is_new(self) -> bool:
        return self.existing_id is None

    @property
    def is_unchanged(self) -> bool:
        return self.existing_id is not None and not self.changes

    @property
    def lead_names(self) -> list[str]:
        return [_unit_name(u) for u in self.lead]

    @property
    def supporting_names(self) -> list[str]:
        return [_unit_name(u) for u in self.support]

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        """(label, before, after) of each change, for people."""
        return [(str(COMPARED[name]), before, after) for name, before, after in self.changes or ()]

    @property
    def milestones(self) -> tuple:
        return self.limit.milestones if len(self.limit.milestones) > 1 else ()


@dataclass
class ImportPreview:
    """What an import would do; `commit_import` saves it when it has no errors."""

    filename: str
    sha256: str
    size: int
    plan_name: str
    year: int
    plan: Plan | None
    create_units: bool
    mapping: dict[str, str] | None
    sheet_title: str = ""
    source_ref: str = ""  # the number of the document the list came from (郑政办〔2021〕12号)
    sheet_name: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> letter as read
    headers: dict[str, str] = field(default_factory=dict)  # letter -> header text
    needs_mapping: bool = False
    unit_convention: str = ""
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    units_to_create: list[str] = field(default_factory=list)
    untouched: int = 0  # tasks of the plan the list does not name; kept as they are
    kept_fields: frozenset[str] = frozenset()  # fields the list has no column for: kept on updated tasks

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def kept_labels(self) -> list[str]:
        return [str(FIELD_NAMES[name]) for name in FIELD_NAMES if name in self.kept_fields]

    @property
    def can_commit(self) -> bool:
        return not self.needs_mapping and not self.errors and bool(self.rows)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is None)

    @property
    def updated_count(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is not None and r.changes)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r.is_unchanged)

    def summary(self) -> dict:
        return {
            "rows": len(self.rows),
            "new": self.new_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "untouched": self.untouched,
            "units_to_create": list(self.units_to_create),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


@dataclass
class ImportResult:
    plan: Plan
    plan_created: bool
    created: int
    updated: int
    unchanged: int
    units_created: list[str]


def _unit_name(unit) -> str:
    return unit if isinstance(unit, str) else unit.name


def _read_source(source) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    if hasattr(source, "chunks"):  # an uploaded file
        return b"".join(source.chunks())
    return source.read()


def _number_part(number: str) -> str:
    """A number as `sort_key` can read it: circled ① → 1."""
    if len(number) == 1 and "\u2460" <= number <= "\u32bf":
        try:
            return str(int(unicodedata.numeric(number)))
        except (TypeError, ValueError):
            return number
    return number


def _path_sort_key(path: str) -> str:
    parts = [_number_part(p) for p in path.split("/") if p]
    # "3/3.2" already carries its parent's number; keep only the deepest dotted number then
    if len(parts) > 1 and "." in parts[-1] and parts[-1].startswith(parts[-2] + "."):
        parts = parts[:-2] + [parts[-1]]
    return sort_key(".".join(parts))


def task_key(parent_key: str | None, number: str) -> str:
    """How a task is matched on re-import: its number under its parent's ("3/(1)"); dotted numbers alone.

    Numbers typed in the app (“（1）”, “ 2、”) match the reader's tidied form (“(1)”, “2”)."""
    number = "".join(unicodedata.normalize("NFKC", number or "").split()).rstrip("、.,，:：")
    if not number:
        return ""
    return f"{parent_key}/{number}" if parent_key and "." not in number else number


class _Existing:
    """The plan's tasks as they are, by number path, in a few queries."""

    def __init__(self, plan: Plan | None, *, details: bool = True):
        self.by_key: dict[str, int] = {}
        self.fields: dict[int, tuple] = {}
        self.units: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.key_of: dict[int, str] = {}
        self.unit_names: dict[int, str] = {}
        if plan is None:
            return
        compared = ("category", "title", "target", "leader", "owner", "limit_text") if details else ()
        rows = list(
            Task.objects.filter(plan=plan).order_by("pk").values_list("pk", "number", "parent_id", *compared)
        )
        parents = {pk: (number, parent_id) for pk, number, parent_id, *_ in rows}

        def key(pk: int, depth: int = 0) -> str:
            cached = self.key_of.get(pk)
            if cached is not None:
                return cached
            number, parent_id = parents[pk]
            if not number:
                return ""
            parent = key(parent_id, depth + 1) if parent_id in parents and depth < 10 else ""
            value = task_key(parent, number)
            self.key_of[pk] = value
            return value

        for pk, _number, parent_id, *values in rows:
            k = key(pk)
            if k:
                self.by_key.setdefault(k, pk)
            if details:
                self.fields[pk] = (*values, parent_id)
        if not details:
            return
        lead: dict[int, list[int]] = {}
        support: dict[int, list[int]] = {}
        responsibilities = (
            TaskUnit.objects.filter(task__plan=plan)
            .order_by("task_id", "position", "pk")
            .values_list("task_id", "unit_id", "role", "unit__name")
        )
        for task_id, unit_id, role, unit_name in responsibilities:
            self.unit_names[unit_id] = unit_name
            (lead if role == TaskUnit.LEAD else support).setdefault(task_id, []).append(unit_id)
        for pk in self.fields:
            self.units[pk] = (tuple(lead.get(pk, ())), tuple(support.get(pk, ())))


def _changes(row: PreviewRow, existing: _Existing, kept: frozenset[str]) -> list[tuple[str, str, str]]:
    pk = row.existing_id
    category, title, target, leader, owner, limit_text, parent_id = existing.fields[pk]
    src = row.source
    out = []
    for name, before, after in (
        ("category", category, src.category[:100]),
        ("title", title, src.title[:500]),
        ("target", target, src.target),
        ("leader", leader, src.leader[:100]),
        ("owner", owner, src.owner[:100]),
        ("limit_text", limit_text, src.limit_text.strip()[:300]),
    ):
        if before != after and name not in kept:
            out.append((name, before, after))
    parent_before = existing.key_of.get(parent_id, "") if parent_id else ""
    if parent_before != (row.parent_key or ""):
        out.append(("parent", parent_before, row.parent_key or ""))
    lead_before, support_before = existing.units[pk]
    for name, before_ids, after_list in (
        ("lead", lead_before, row.lead),
        ("support", support_before, row.support),
    ):
        after_ids = tuple(u.pk if isinstance(u, Unit) else None for u in after_list)
        if before_ids != after_ids:
            before_names = "、".join(existing.unit_names.get(i, "?") for i in before_ids)
            out.append((name, before_names, "、".join(_unit_name(u) for u in after_list)))
    return out


def preview_import(
    *,
    source,
    filename: str,
    plan_name: str,
    year: int,
    mapping: dict[str, str] | None = None,
    create_units: bool = False,
) -> ImportPreview:
    """Read the list and say what importing it would do. Writes nothing."""
    data = _read_source(source)
    plan = Plan.objects.filter(name=plan_name).first()
    preview = ImportPreview(
        filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data), plan_name=plan_name,
        year=year, plan=plan, create_units=create_units, mapping=mapping or None,
    )  # fmt: skip
    sheet = read_task_list(data, filename, mapping=mapping or None)
    del data
    preview.sheet_title, preview.sheet_name, preview.header_row = (
        sheet.title,
        sheet.sheet_name,
        sheet.header_row,
    )
    preview.columns, preview.headers = dict(sheet.mapping), dict(sheet.headers)
    preview.needs_mapping, preview.unit_convention = sheet.needs_mapping, sheet.unit_convention
    preview.source_ref = sheet.source_ref
    problems = preview.problems
    problems.extend(
        ImportProblem(p.row, p.column, p.field, p.message, p.hint, p.level, p.where, p.quote)
        for p in sheet.problems
    )
    if plan is not None and plan.year != year:
        problems.append(ImportProblem(
            None, None, None,
            _("The plan “%(plan)s” is for %(plan_year)s, but the list was to be read for %(year)s.")
            % {"plan": plan.name, "plan_year": plan.year, "year": year},
            _("Import into the plan with its own year, or name a new plan."),
        ))  # fmt: skip
    if sheet.needs_mapping:
        return preview
    kept = {name for name in KEEPABLE if name not in sheet.mapping}
    if not any(r.category for r in sheet.rows):  # neither a 类别 column nor category rows
        kept.add("category")
    preview.kept_fields = frozenset(kept)

    resolver = UnitResolver.load()
    existing = _Existing(plan)
    errors_at = {(p.row, p.field) for p in problems if p.is_error and p.row}
    warnings_at = {p.row for p in problems if not p.is_error and p.row}
    limits: dict[str, ParsedLimit] = {}
    new_units: dict[str, str] = {}  # normalised name -> name as first written
    seen_keys: dict[str, int] = {}  # key -> row
    last_by_number: dict[str, str] = {}  # number -> key of the latest row with that number
    unit_hint = _(
        "Add the unit in unit management or give a unit this name as an alias, or tick “Create new units”."
    )

    unknown: dict[str, list[str]] = {"lead_units": [], "supporting_units": []}  # of the current row

    def units_of(names: list[str], row: ParsedRow, fld: str) -> list:
        out = []
        for name in names:
            unit = resolver.resolve(name)
            if unit is not None:
                if unit not in out:
                    out.append(unit)
                continue
            if create_units:
                norm = normalise_unit_name(name)
                name = new_units.setdefault(norm, name.strip())
                if name not in out:
                    out.append(name)
                continue
            suggestion = resolver.suggest(name)
            hint = unit_hint
            if suggestion:
                hint = _("Did you mean “%(name)s”? ") % {"name": suggestion} + hint
            problems.append(ImportProblem(
                row.row, row.columns.get(fld), fld, _("Unknown unit “%(name)s”.") % {"name": name}, hint,
            ))  # fmt: skip
            errors_at.add((row.row, fld))
            unknown[fld].append(name)
        return out

    responsibilities: dict[tuple, tuple[tuple, tuple]] = {}  # rows share the tuples: less memory
    limit_hint = _("Write the time limit as e.g. 6月底前, 2021年9月30日, 三季度, 每月28日前 or 持续推进.")
    for src in sheet.rows:
        names = (tuple(src.lead_units), tuple(src.supporting_units))
        pair = responsibilities.get(names)
        if pair is None:
            found = len(problems)
            unknown["lead_units"], unknown["supporting_units"] = [], []
            lead = units_of(src.lead_units, src, "lead_units")
            support = [u for u in units_of(src.supporting_units, src, "supporting_units") if u not in lead]
            pair = (tuple(lead), tuple(support))
            if len(problems) == found:  # unknown units are looked up again so that every row is named
                responsibilities[names] = pair
        lead, support = pair

        text = src.limit_text
        parsed = limits.get(text)
        if parsed is None:
            parsed = limits[text] = parse_limit(text, year)
        if parsed.kind == "empty":
            problems.append(ImportProblem(
                src.row, src.columns.get("limit_text"), "limit_text", _("No time limit is given."),
                _("The task will have no deadline until one is set."), "warning",
            ))  # fmt: skip
            warnings_at.add(src.row)
        elif parsed.kind == "unknown" or parsed.ambiguous:
            problems.append(ImportProblem(
                src.row, src.columns.get("limit_text"), "limit_text",
                parsed.message or _("The time limit “%(text)s” is not understood.") % {"text": text}, limit_hint,
            ))  # fmt: skip
            errors_at.add((src.row, "limit_text"))
        elif len(text.strip()) > 300:
            problems.append(ImportProblem(
                src.row, src.columns.get("limit_text"), "limit_text",
                _("The time limit is longer than 300 characters."), _("Shorten it; put the detail in the target."),
            ))  # fmt: skip
            errors_at.add((src.row, "limit_text"))

        if not src.title and (src.row, "title") not in errors_at:
            problems.append(ImportProblem(
                src.row, src.columns.get("title"), "title", _("The row has no task title."),
                _("Fill in the task, or delete the row."),
            ))  # fmt: skip
            errors_at.add((src.row, "title"))
        elif len(src.title) > 500:
            problems.append(ImportProblem(
                src.row, src.columns.get("title"), "title", _("The task title is longer than 500 characters."),
                _("Shorten the title; put the detail in the target."),
            ))  # fmt: skip
            errors_at.add((src.row, "title"))
        if len(src.number) > 20:
            problems.append(ImportProblem(
                src.row, src.columns.get("number"), "number",
                _("The number “%(number)s” is longer than 20 characters.") % {"number": src.number[:40]},
                _("Use a short number such as 3, 3.2 or (1)."),
            ))  # fmt: skip
            errors_at.add((src.row, "number"))

        parent_key = None
        if src.parent_number:
            parent_key = last_by_number.get(src.parent_number)
            if parent_key is None and src.parent_number in existing.by_key:
                parent_key = src.parent_number
            if parent_key is None:
                problems.append(ImportProblem(
                    src.row, src.columns.get("number"), "number",
                    _("The parent task “%(number)s” is neither in the list nor in the plan.")
                    % {"number": src.parent_number},
                    _("Add the parent task above this row, or correct the number."),
                ))  # fmt: skip
                errors_at.add((src.row, "number"))
        key = ""
        if src.number:
            key = task_key(parent_key, src.number)
            if key in seen_keys:
                twice = _("The number “%(number)s” is used twice: in rows %(first)s and %(row)s.")
                if src.where:  # a Word document: “第3段”, “表1第5行”
                    twice = _("The number “%(number)s” is used twice: at %(first)s and at %(row)s.")
                problems.append(ImportProblem(
                    src.row, src.columns.get("number"), "number",
                    twice % {"number": src.number, "first": seen_keys[key], "row": src.where or src.row},
                    _("Give every task its own number."),
                ))  # fmt: skip
                errors_at.add((src.row, "number"))
            else:
                seen_keys[key] = src.where or src.row
            last_by_number[src.number] = key
        row = PreviewRow(
            source=src, key=key, parent_key=parent_key, sort_key=_path_sort_key(key or src.number),
            lead=lead, support=support, limit=parsed, existing_id=existing.by_key.get(key) if key else None,
        )  # fmt: skip
        if unknown["lead_units"] or unknown["supporting_units"]:
            row.unknown_lead, row.unknown_support = (
                tuple(unknown["lead_units"]),
                tuple(unknown["supporting_units"]),
            )
            unknown["lead_units"], unknown["supporting_units"] = [], []
        preview.rows.append(row)

    if any(not r.key for r in preview.rows):
        count = sum(1 for r in preview.rows if not r.key)
        problems.append(ImportProblem(
            None, preview.columns.get("number"), "number",
            _("%(n)s rows have no number; they are added as new tasks every time the list is imported.") % {"n": count},
            _("Number every task so that a later import updates it."), "warning",
        ))  # fmt: skip

    errored_rows = {row for row, _f in errors_at}
    file_keys = {r.key for r in preview.rows if r.key}

    for r in preview.rows:
        r.has_error = r.row in errored_rows
        r.has_warning = r.row in warnings_at
        if r.existing_id is not None:
            r.changes = _changes(r, existing, preview.kept_fields)
    preview.untouched = sum(1 for k in existing.by_key if k not in file_keys) + sum(
        1 for pk in existing.fields if not existing.key_of.get(pk)
    )
    preview.units_to_create = list(new_units.values())
    where = {r.row: r.source.where for r in preview.rows if r.source.where}
    if where:  # a Word document: name the paragraph or table row, not the ordinal
        for p in problems:
            p.where = p.where or where.get(p.row, "")
    preview.problems.sort(key=lambda p: (p.row or 0, p.column or "", not p.is_error))
    return preview


# A list without a column for one of these leaves it as it is on the tasks it updates (an exported list
# has no 责任人 column, say); the time limit brings its parsed fields along.
KEEPABLE = {
    "category": ["category"],
    "target": ["target"],
    "leader": ["leader"],
    "owner": ["owner"],
    "limit_text": [
        "limit_text", "limit_kind", "limit_note", "deadline", "cadence_period", "cadence_day", "relative_workdays"
    ],
}  # fmt: skip


# Saving lives in its own module; imported last because it builds on the names above.
from .import_saving import commit_import as save_import  # noqa: E402


def commit_import(*, actor, preview: ImportPreview) -> ImportResult:
    """Save the preview (`import_saving.commit_import`); tasks read from a numbered document also record it
    as their source (文件要求, 郑政办〔2021〕12号) — those it creates, updates or finds unchanged."""
    if not preview.source_ref:
        return save_import(actor=actor, preview=preview)
    with transaction.atomic():
        before = TaskEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        result = save_import(actor=actor, preview=preview)
        by_key = _Existing(result.plan, details=False).by_key
        ids = {by_key[r.key] for r in preview.rows if r.key in by_key}
        ids.update(  # rows without a number: the tasks this import created
            TaskEvent.objects.filter(pk__gt=before, task__plan=result.plan, kind=TaskEvent.Kind.IMPORTED)
            .values_list("task_id", flat=True)
        )  # fmt: skip
        ordered = sorted(ids)
        for start in range(0, len(ordered), 900):
            Task.objects.filter(pk__in=ordered[start : start + 900]).update(
                source_kind=SourceKind.DOCUMENT, source_ref=preview.source_ref[:100]
            )
    return result
