"""Writes to units, liaison officers, users, roles and API tokens.

Each write checks who may do it, validates, saves and writes its own audit row in one transaction. `actor=None`
means the system (management commands run by the operator).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.lib.masking import mask_phone

from .models import ApiToken, Liaison, Membership, Role, Unit, UnitAlias, UnitKind, User

UNIT_MANAGERS = (Role.SUPERVISOR, Role.SYSADMIN)
# 三员: one person holds at most one of these, so no one both runs accounts and grants roles or audits them.
SEPARATED_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
ROLES_NEEDING_UNIT = (Role.UNIT,)


def require_role(actor, *roles: str) -> None:
    """Raise PermissionDenied unless the actor holds one of `roles`; the system (None) may do anything."""
    if actor is not None and not actor.has_role(*roles):
        raise PermissionDenied


# ——— units ———

ALIAS_SEPARATORS = re.compile(r"[、，,;；/／\r\n]+")
UNIT_AUDIT_FIELDS = ["name", "short_name", "kind", "parent_id", "sort_order", "is_active"]


def split_aliases(text: str) -> list[str]:
    """The aliases written in one field, separated by 、，,;；/ or new lines, without repeats."""
    aliases: list[str] = []
    for part in ALIAS_SEPARATORS.split(text or ""):
        part = part.strip()
        if part and part not in aliases:
            aliases.append(part)
    return aliases


def find_unit(text: str) -> Unit | None:
    """The unit a person means by `text`: its name, one of its aliases, or failing those a unique short name."""
    text = (text or "").strip()
    if not text:
        return None
    unit = Unit.objects.filter(Q(name=text) | Q(aliases__name=text)).first()
    if unit is None:
        by_short_name = list(Unit.objects.filter(short_name=text)[:2])
        unit = by_short_name[0] if len(by_short_name) == 1 else None
    return unit


def _ancestors_loop(parents: dict, start, target) -> bool:
    """Whether walking up from `start` through `parents` reaches `target`."""
    seen = set()
    node = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def unit_problems(
    *, unit: Unit | None, name: str, parent: Unit | None, aliases: list[str]
) -> dict[str, list[str]]:
    """What stops these values from being saved on `unit` (None for a new one), by form field."""
    problems: dict[str, list[str]] = {}
    pk = unit.pk if unit else None

    def add(field_name: str, message: str) -> None:
        problems.setdefault(field_name, []).append(message)

    if Unit.objects.filter(name=name).exclude(pk=pk).exists():
        add("name", _("A unit named “%(name)s” already exists.") % {"name": name})
    owner = UnitAlias.objects.filter(name=name).exclude(unit_id=pk).select_related("unit").first()
    if owner:
        add("name", _("“%(name)s” is already an alias of %(unit)s.") % {"name": name, "unit": owner.unit})
    if parent is not None and pk is not None:
        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        if _ancestors_loop(parents, parent.pk, pk):
            add("parent", _("%(parent)s is %(unit)s itself or one of its sub-units; that would make a loop.")
                % {"parent": parent, "unit": unit})  # fmt: skip
    names = set(Unit.objects.filter(name__in=aliases).exclude(pk=pk).values_list("name", flat=True))
    taken = {
        a.name: a.unit
        for a in UnitAlias.objects.filter(name__in=aliases).exclude(unit_id=pk).select_related("unit")
    }
    for alias in aliases:
        if len(alias) > 100:
            add("aliases", _("“%(alias)s” is longer than 100 characters.") % {"alias": alias})
        elif alias in names:
            add("aliases", _("“%(alias)s” is the name of another unit.") % {"alias": alias})
        elif alias in taken:
            add(
                "aliases",
                _("“%(alias)s” is already an alias of %(unit)s.") % {"alias": alias, "unit": taken[alias]},
            )
    return problems


def _unit_snapshot(unit: Unit) -> dict:
    data = snapshot(unit, UNIT_AUDIT_FIELDS)
    data["aliases"] = sorted(unit.aliases.values_list("name", flat=True)) if unit.pk else []
    return data


def _set_aliases(unit: Unit, aliases: list[str]) -> None:
    current = set(unit.aliases.values_list("name", flat=True))
    unit.aliases.exclude(name__in=aliases).delete()
    UnitAlias.objects.bulk_create([UnitAlias(unit=unit, name=a) for a in aliases if a not in current])


def _save_unit(*, actor, unit: Unit | None, name: str, aliases, **fields) -> Unit:
    require_role(actor, *UNIT_MANAGERS)
    name = name.strip()
    aliases = [a for a in split_aliases("、".join(aliases)) if a != name]
    problems = unit_problems(unit=unit, name=name, parent=fields.get("parent"), aliases=aliases)
    if problems:
        raise ValidationError(problems)
    before = _unit_snapshot(unit) if unit else None
    unit = unit or Unit()
    unit.name = name
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.save()
    _set_aliases(unit, aliases)
    record(actor=actor, action="unit.update" if before else "unit.create", obj=unit, before=before,
           after=_unit_snapshot(unit))  # fmt: skip
    return unit


@transaction.atomic
def create_unit(
    *, actor, name: str, kind: str, short_name: str = "", parent: Unit | None = None, sort_order: int = 0,
    aliases: Sequence[str] = (),
) -> Unit:  # fmt: skip
    return _save_unit(actor=actor, unit=None, name=name, aliases=aliases, kind=kind, short_name=short_name,
                      parent=parent, sort_order=sort_order)  # fmt: skip


@transaction.atomic
def update_unit(
    *, actor, unit: Unit, name: str, kind: str, short_name: str, parent: Unit | None, sort_order: int,
    aliases: Sequence[str],
) -> Unit:  # fmt: skip
    return _save_unit(actor=actor, unit=unit, name=name, aliases=aliases, kind=kind, short_name=short_name,
                      parent=parent, sort_order=sort_order)  # fmt: skip


@transaction.atomic
def set_unit_active(*, actor, unit: Unit, active: bool) -> Unit:
    require_role(actor, *UNIT_MANAGERS)
    if unit.is_active != active:
        unit.is_active = active
        unit.save(update_fields=["is_active"])
        record(actor=actor, action="unit.activate" if active else "unit.deactivate", obj=unit,
               before={"is_active": not active}, after={"is_active": active})  # fmt: skip
    return unit


# ——— liaison officers ———

MOBILE = re.compile(r"1[3-9]\d{9}")
OFFICE_PHONE = re.compile(r"[\d\-+() ]{7,30}")


def normalise_mobile(value: str) -> str:
    """An 11-digit mainland mobile number without spaces, dashes or +86; ValidationError if it is not one."""
    digits = re.sub(r"[\s\-]", "", value or "")
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    if not MOBILE.fullmatch(digits):
        raise ValidationError(_("Enter an 11-digit mobile number starting with 1, e.g. 13812345678."))
    return digits


def _liaison_snapshot(liaison: Liaison) -> dict:
    # Phones are personal data: the audit log keeps them masked, like the screens do.
    return {
        "name": liaison.name,
        "position": liaison.position,
        "phone": mask_phone(liaison.phone),
        "office_phone": liaison.office_phone,
        "user_id": liaison.user_id,
    }


@transaction.atomic
def set_liaison(
    *,
    actor,
    unit: Unit,
    name: str,
    phone: str,
    position: str = "",
    office_phone: str = "",
    user: User | None = None,
) -> Liaison:
    require_role(actor, *UNIT_MANAGERS)
    liaison = Liaison.objects.filter(unit=unit).first()
    before = _liaison_snapshot(liaison) if liaison else None
    liaison = liaison or Liaison(unit=unit)
    liaison.name, liaison.position, liaison.user = name.strip(), position.strip(), user
    liaison.phone, liaison.office_phone = normalise_mobile(phone), office_phone.strip()
    liaison.save()
    record(actor=actor, action="liaison.set", obj=liaison, object_repr=f"{unit} · {liaison.name}", before=before,
           after=_liaison_snapshot(liaison))  # fmt: skip
    return liaison


@transaction.atomic
def remove_liaison(*, actor, unit: Unit) -> None:
    require_role(actor, *UNIT_MANAGERS)
    liaison = Liaison.objects.filter(unit=unit).first()
    if liaison:
        record(actor=actor, action="liaison.remove", obj=liaison, before=_liaison_snapshot(liaison))
        liaison.delete()


# ——— importing units from a spreadsheet ———
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
    if suffix == ".xlsx":
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


# ——— users and roles ———

USER_AUDIT_FIELDS = ["username", "display_name", "title", "is_active"]


def _user_snapshot(user: User) -> dict:
    # Never the password hash; the phone masked, as on screen.
    return snapshot(user, USER_AUDIT_FIELDS) | {"phone": mask_phone(user.phone)}


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    display_name: str = "",
    phone: str = "",
    title: str = "",
    password: str | None = None,
) -> tuple[User, str]:
    """A new account; returns it with its password (generated when none is given) to show once."""
    require_role(actor, Role.SYSADMIN)
    username = username.strip()
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user named “%(name)s” already exists.") % {"name": username}})
    user = User(
        username=username, display_name=display_name.strip(), phone=phone.strip(), title=title.strip()
    )
    if password is None:
        password = generate_password()
    else:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    record(actor=actor, action="user.create", obj=user, after=_user_snapshot(user))
    return user, password


@transaction.atomic
def reset_password(*, actor, user: User) -> str:
    """A new generated password for `user`, to show once; their sessions end with the old one."""
    require_role(actor, Role.SYSADMIN)
    password = generate_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="user.reset_password", obj=user, after={"username": user.username})
    return password


@transaction.atomic
def set_user_active(*, actor, user: User, active: bool) -> User:
    require_role(actor, Role.SYSADMIN)
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user,
               before={"is_active": not active}, after={"is_active": active})  # fmt: skip
    return user


def _membership_data(membership: Membership) -> dict:
    return {
        "user": membership.user.username,
        "role": membership.role,
        "unit": membership.unit.name if membership.unit else None,
    }


def _require_role_admin(actor, user: User) -> None:
    require_role(actor, Role.SECADMIN)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("Nobody may change their own roles."))


@transaction.atomic
def add_membership(*, actor, user: User, role: str, unit: Unit | None = None) -> Membership:
    _require_role_admin(actor, user)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if role in ROLES_NEEDING_UNIT and unit is None:
        raise ValidationError({"unit": _("This role needs a unit.")})
    current = set(user.memberships.values_list("role", "unit_id"))
    if (role, unit.pk if unit else None) in current:
        raise ValidationError(_("%(user)s already has this role.") % {"user": user})
    if role in SEPARATED_ROLES:
        clashing = {r for r, _unit in current if r in SEPARATED_ROLES and r != role}
        if clashing:
            raise ValidationError({"role": _("The system administrator, security administrator and auditor must be "
                                             "different people; %(user)s is already %(role)s.")
                                   % {"user": user, "role": Role(clashing.pop()).label}})  # fmt: skip
    membership = Membership.objects.create(user=user, role=role, unit=unit)
    user.__dict__.pop("_memberships", None)
    record(actor=actor, action="membership.add", obj=membership, after=_membership_data(membership))
    return membership


@transaction.atomic
def remove_membership(*, actor, membership: Membership) -> None:
    _require_role_admin(actor, membership.user)
    record(actor=actor, action="membership.remove", obj=membership, before=_membership_data(membership))
    membership.delete()


# ——— API tokens ———


def _require_owner(actor, user: User) -> None:
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied


@transaction.atomic
def issue_token(*, actor, user: User) -> tuple[ApiToken, str]:
    """A new token for `user`; the key is returned once and only its hash is kept."""
    _require_owner(actor, user)
    token, key = ApiToken.issue(user)
    record(
        actor=actor, action="token.issue", obj=token, after={"user": user.username, "prefix": token.prefix}
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    _require_owner(actor, token.user)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record(
            actor=actor, action="token.revoke", obj=token, before={"revoked": False}, after={"revoked": True}
        )
    return token
