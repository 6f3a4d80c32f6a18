"""The checks of an enterprise or project spreadsheet, row by row and across rows (see importing.py). Every lookup
is loaded once for the whole sheet: a few queries, whatever the number of rows."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from tuijin.lib.credit_code import credit_code_problem, normalise_credit_code
from tuijin.org.models import Role, UnitKind, User
from tuijin.org.resolve import UnitResolver

from . import access
from . import importing_values as v
from .importing import DATE_FIELDS, MONEY_FIELDS, ImportPreview, ImportProblem, PreviewRow, similar_names
from .models import (
    STAGE_ORDER,
    Channel,
    Enterprise,
    Project,
    ProjectCategory,
    ProjectKind,
    Stage,
    VentureFirm,
)
from .services import SIMILAR_NAME_RATIO, normalise_name

PHONE_RE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?")
TEXT_LIMITS = {"name": 200, "enterprise": 200, "industry": 100, "responsible_leader": 100, "dropped_reason": 500,
               "address": 200, "contact_name": 50, "contact_position": 50}  # fmt: skip
# The dated stages in pipeline order, each with the column holding its date.
DATED = [(Stage.SIGNED, "signed_on"), (Stage.REGISTERED, "registered_on"), (Stage.LANDED, "landed_on"),
         (Stage.STARTED, "started_on"), (Stage.OPERATING, "operating_on")]  # fmt: skip


def _rank(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


class _Sheet:
    """Adds problems for one preview, marking the rows they concern."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview

    def add(
        self, row: PreviewRow | None, name: str | None, message: str, hint: str = "", level: str = "error"
    ):
        number = row.row if row else None
        column = self.preview.columns.get(name) if name else None
        self.preview.problems.append(ImportProblem(number, column, name, message, hint, level))


def _read_cells(sheet: _Sheet, row: PreviewRow, cells: dict, today: datetime.date, choices: dict) -> None:
    """Cells into values: text, money in 万元, dates, choices; a cell that cannot be read is a problem."""
    units = cells.get("_units", {})
    for name, raw in cells.items():
        if name == "_units":
            continue
        if name in MONEY_FIELDS:
            value, problem = v.parse_money(raw, units.get(name))
        elif name in DATE_FIELDS:
            value, problem = v.parse_date(raw, today)
        else:
            value, problem = (v.text(raw) if name != "description" else v.raw_text(raw).strip()), None
            if name in TEXT_LIMITS and len(value) > TEXT_LIMITS[name]:
                problem = _("This is longer than %(n)s characters.") % {"n": TEXT_LIMITS[name]}
            elif value and name in choices:
                words, texts = choices[name]
                chosen = v.choose(value, words, texts)
                if chosen is None:
                    sheet.add(row, name, _("“%(text)s” is not one of: %(known)s.") % {
                        "text": value, "known": v.known_words(texts)}, _("Write one of these."))  # fmt: skip
                    row.values[name] = None
                    continue
                value = chosen
        if problem:
            sheet.add(row, name, problem)
            continue
        row.values[name] = value


def _check_credit_code(sheet: _Sheet, row: PreviewRow) -> str:
    code = normalise_credit_code(row.get("credit_code") or "")
    if code:
        problem = credit_code_problem(code)
        if problem:
            sheet.add(
                row, "credit_code", problem, _("Check the code against the business licence (营业执照).")
            )
            return ""
    row.values["credit_code"] = code
    return code


# ——— enterprises ———


def check_enterprise_rows(preview: ImportPreview, raw_rows, *, actor, today: datetime.date) -> None:
    sheet = _Sheet(preview)
    choices = {"origin": (v.ORIGIN_WORDS, v.ORIGIN_TEXT)}
    rows = []
    for number, cells in raw_rows:
        row = PreviewRow(row=number, values={}, columns=preview.columns)
        _read_cells(sheet, row, cells, today, choices)
        if not row.get("name"):
            sheet.add(row, "name", _("The row has no enterprise name."), _("Fill it in, or delete the row."))
        _check_credit_code(sheet, row)
        phone = re.sub(r"\s", "", row.get("contact_phone") or "")
        if phone and not PHONE_RE.fullmatch(phone):
            sheet.add(row, "contact_phone", _("This is not a phone number."),
                      _("Write an 11-digit mobile number or a landline such as 0371-12345678."))  # fmt: skip
        row.values["contact_phone"] = phone
        if (phone or row.get("contact_position")) and not row.get("contact_name"):
            sheet.add(row, "contact_name", _("The phone or position has no contact name."))
        row.enterprise_state = "new"
        rows.append(row)
    preview.rows = rows
    codes = {r.get("credit_code") for r in rows if r.get("credit_code")}
    keys = {normalise_name(r.get("name")) for r in rows if r.get("name")}
    by_code = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)} if codes else {}
    by_key = {e.name_key: e for e in Enterprise.objects.filter(name_key__in=keys)} if keys else {}
    seen_code: dict[str, int] = {}
    seen_key: dict[str, int] = {}
    for row in rows:
        code, key = row.get("credit_code"), normalise_name(row.get("name") or "")
        if code and code in by_code:
            sheet.add(row, "credit_code", _("%(name)s already has this credit code.") % {"name": by_code[code].name},
                      _("The enterprise is already registered; delete the row."))  # fmt: skip
        elif key and key in by_key:
            sheet.add(row, "name", _("“%(name)s” is already registered.") % {"name": by_key[key].name},
                      _("Delete the row, or add its projects with the project import."))  # fmt: skip
        if code and code in seen_code:
            sheet.add(row, "credit_code", _("The same credit code is on row %(first)s.") % {"first": seen_code[code]},
                      _("Keep one row per enterprise."))  # fmt: skip
        elif key and key in seen_key:
            sheet.add(row, "name", _("The same enterprise is on row %(first)s.") % {"first": seen_key[key]},
                      _("Keep one row per enterprise."))  # fmt: skip
        seen_code.setdefault(code, row.row) if code else None
        seen_key.setdefault(key, row.row) if key else None
    _warn_similar(sheet, [r for r in rows if r.get("name")], lambda r: r.get("name"))
    preview.new_enterprises = [r.get("name") for r in rows if r.get("name")]


def _warn_similar(sheet: _Sheet, rows: list[PreviewRow], name_of) -> None:
    keys = {normalise_name(name_of(r)): r for r in rows}
    if not keys:
        return
    existing = list(Enterprise.objects.values_list("pk", "name_key"))
    found = similar_names(list(keys), existing, SIMILAR_NAME_RATIO)
    names = dict(Enterprise.objects.filter(pk__in={pk for hits in found.values() for pk in hits})
                 .values_list("pk", "name"))  # fmt: skip
    for key, hits in found.items():
        row = keys[key]
        field = "enterprise" if "enterprise" in row.values else "name"
        sheet.add(row, field, _("Enterprises with a very similar name exist: %(names)s. A new enterprise will be "
                                "added.") % {"names": "、".join(names[pk] for pk in hits if pk in names)},
                  _("If it is one of these, write its name exactly as registered."), "warning")  # fmt: skip


# ——— projects ———


class _Lookups:
    """Sectors, categories, firms, officers, enterprises and projects the sheet names — loaded once."""

    def __init__(self, rows: list[PreviewRow], actor):
        self.units = UnitResolver.load()
        self.allowed = (
            set(access.sectors_for(actor).values_list("pk", flat=True)) if actor is not None else None
        )
        categories = list(ProjectCategory.objects.all())
        self.categories = {v.plain(c.name): c for c in categories}
        for word, name in v.CATEGORY_WORDS.items():
            if v.plain(name) in self.categories:
                self.categories.setdefault(v.plain(word), self.categories[v.plain(name)])
        self.category_names = "、".join(c.name for c in categories if c.is_active)
        self.firms = {v.plain(f.name): f for f in VentureFirm.objects.all()}
        officers = User.objects.filter(is_active=True, memberships__role=Role.INVESTMENT).distinct()
        self.officers: dict[str, list[User]] = {}
        for user in officers:
            for key in {v.plain(user.username), v.plain(user.display_name)} - {""}:
                self.officers.setdefault(key, []).append(user)
        codes = {r.get("credit_code") for r in rows if r.get("credit_code")}
        keys = {normalise_name(r.get("enterprise")) for r in rows if r.get("enterprise")}
        self.by_code = (
            {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)} if codes else {}
        )
        self.by_key: dict[str, list[Enterprise]] = {}
        for enterprise in Enterprise.objects.filter(name_key__in=keys) if keys else ():
            self.by_key.setdefault(enterprise.name_key, []).append(enterprise)
        known = {e.pk for e in self.by_code.values()} | {e.pk for es in self.by_key.values() for e in es}
        self.projects: dict[tuple[int, str], Project] = {}
        for project in Project.objects.filter(enterprise_id__in=known).only(
            "pk", "code", "name", "enterprise_id"
        ):
            self.projects.setdefault((project.enterprise_id, v.plain(project.name)), project)


def check_project_rows(preview: ImportPreview, raw_rows, *, actor, today: datetime.date) -> None:
    sheet = _Sheet(preview)
    choices = {"origin": (v.ORIGIN_WORDS, v.ORIGIN_TEXT), "channel": (v.CHANNEL_WORDS, v.CHANNEL_TEXT),
               "kind": (v.KIND_WORDS, v.KIND_TEXT), "stage": (v.STAGE_WORDS, v.STAGE_TEXT),
               "agreement_type": (v.AGREEMENT_WORDS, v.AGREEMENT_TEXT)}  # fmt: skip
    rows = []
    for number, cells in raw_rows:
        row = PreviewRow(row=number, values={}, columns=preview.columns)
        _read_cells(sheet, row, cells, today, choices)
        _check_credit_code(sheet, row)
        rows.append(row)
    preview.rows = rows
    look = _Lookups(rows, actor)
    in_file: dict[
        str, tuple[int, str, str]
    ] = {}  # enterprise key -> (first row, name, code) of a new enterprise
    codes_in_file: dict[str, tuple[int, str]] = {}  # credit code -> (first row, enterprise key)
    projects_in_file: dict[tuple, int] = {}  # (enterprise ref, project name) -> row
    new_rows: list[PreviewRow] = []
    for row in rows:
        for name, label in (("name", _("project name")), ("enterprise", _("enterprise")), ("sector", _("sector")),
                            ("category", _("category"))):  # fmt: skip
            if not row.get(name):
                sheet.add(row, name, _("The %(what)s is missing.") % {"what": label}, _("Fill it in."))
        _resolve_links(sheet, row, look)
        ref = _resolve_enterprise(sheet, row, look, in_file, codes_in_file)
        if row.enterprise_state == "new":
            new_rows.append(row)
        _check_stages(sheet, row, today)
        _check_amounts(sheet, row)
        if row.get("name") and ref is not None:
            key = (ref, v.plain(row.get("name")))
            existing = look.projects.get((ref, key[1])) if isinstance(ref, int) else None
            if existing is not None:
                sheet.add(row, "name", _("The enterprise already has this project in the pipeline."),
                          _("Delete the row; change the project on its page."))  # fmt: skip
            elif key in projects_in_file:
                sheet.add(row, "name", _("The same project of the same enterprise is on row %(first)s.") % {
                    "first": projects_in_file[key]}, _("Keep one row per project."))  # fmt: skip
            else:
                projects_in_file[key] = row.row
        _resolve_base(sheet, row, look, ref, projects_in_file)
    _warn_similar(sheet, new_rows, lambda r: r.get("enterprise"))
    preview.new_enterprises = [name for _first, name, _code in in_file.values()]


def _resolve_links(sheet: _Sheet, row: PreviewRow, look: _Lookups) -> None:
    sector_name = row.get("sector")
    if sector_name:
        unit = look.units.resolve(sector_name)
        if unit is None or unit.kind != UnitKind.SECTOR:
            suggestion = look.units.suggest(sector_name)
            hint = _("Did you mean “%(name)s”?") % {"name": suggestion} if suggestion else ""
            message = (_("“%(name)s” is a unit but not a sector (板块).") if unit is not None
                       else _("Unknown sector “%(name)s”.")) % {"name": sector_name}  # fmt: skip
            sheet.add(row, "sector", message, hint or _("Write the sector's name as in unit management."))
        elif look.allowed is not None and unit.pk not in look.allowed:
            sheet.add(row, "sector", _("You cannot file projects in %(sector)s.") % {"sector": unit.name},
                      _("Ask the sector's investment officers to import these rows."))  # fmt: skip
        else:
            row.resolved["sector"] = unit
    category_name = row.get("category")
    if category_name:
        category = look.categories.get(v.plain(category_name))
        if category is None or not category.is_active:
            sheet.add(row, "category", _("Unknown category “%(name)s”.") % {"name": category_name},
                      _("Write one of: %(names)s.") % {"names": look.category_names})  # fmt: skip
        else:
            row.resolved["category"] = category
    if row.values.get("channel", "") == "":  # None: unreadable, reported
        row.values["channel"] = Channel.DIRECTED
    firm_name = row.get("venture_firm")
    if firm_name:
        firm = look.firms.get(v.plain(firm_name))
        if firm is None:
            sheet.add(row, "venture_firm", _("Unknown venture-capital firm “%(name)s”.") % {"name": firm_name},
                      _("Add the firm to the registry of venture-capital partners first."))  # fmt: skip
        else:
            row.resolved["venture_firm"] = firm
    elif row.get("channel") == Channel.VENTURE:
        sheet.add(row, "venture_firm" if "venture_firm" in sheet.preview.columns else "channel",
                  _("Name the venture-capital firm this project came with."))  # fmt: skip
    officer_name = row.get("officer")
    if officer_name:
        found = look.officers.get(v.plain(officer_name), [])
        if len(found) == 1:
            row.resolved["officer"] = found[0]
        else:
            sheet.add(row, "officer", (_("Several investment officers are called “%(name)s”.") if found
                                       else _("No investment officer is called “%(name)s”.")) % {"name": officer_name},
                      _("Write the officer's login name."))  # fmt: skip
    if row.values.get("kind", "") == "":
        row.values["kind"] = ProjectKind.NEW


def _resolve_enterprise(sheet, row: PreviewRow, look: _Lookups, in_file: dict, codes_in_file: dict):
    """The enterprise of the row: an existing one (by credit code, else by exact name), one named on an earlier
    row, or a new one. Returns its id, or its name key for a new one; None when it cannot be told."""
    name, code = row.get("enterprise"), row.get("credit_code")
    if not name:
        return None
    key = normalise_name(name)
    if code and code in look.by_code:
        enterprise = look.by_code[code]
        if enterprise.name_key != key:
            sheet.add(row, "credit_code", _("This credit code belongs to %(name)s, not to “%(row)s”.") % {
                "name": enterprise.name, "row": name}, _("Check the code, or write the enterprise's registered name."))  # fmt: skip
            return None
        row.resolved["enterprise"], row.enterprise_state = enterprise, "existing"
        return enterprise.pk
    if code and code in codes_in_file and codes_in_file[code][1] != key:
        first, _other = codes_in_file[code]
        sheet.add(row, "credit_code", _("Row %(first)s gives this credit code to another enterprise.") % {
            "first": first}, _("Check the code."))  # fmt: skip
        return None
    existing = look.by_key.get(key, [])
    if existing and not code:
        if len(existing) > 1:
            sheet.add(row, "enterprise", _("Several enterprises are registered as “%(name)s”.") % {"name": name},
                      _("Give the credit code to tell which."))  # fmt: skip
            return None
        row.resolved["enterprise"], row.enterprise_state = existing[0], "existing"
        return existing[0].pk
    if existing and code:
        # Same name, but the registered one has another code (or none): do not guess.
        other = existing[0].credit_code
        sheet.add(row, "credit_code", (_("%(name)s is registered with the credit code %(code)s.") % {
            "name": existing[0].name, "code": other}) if other else _(
            "%(name)s is registered without a credit code; add it on the enterprise's page first.") % {
            "name": existing[0].name}, _("Check the code."))  # fmt: skip
        return None
    if key in in_file:
        first, _first_name, first_code = in_file[key]
        if code and first_code and code != first_code:
            sheet.add(row, "credit_code", _("Row %(first)s gives this enterprise another credit code.") % {
                "first": first}, _("Check the code."))  # fmt: skip
            return None
        row.enterprise_state = "in_file"
        return key
    in_file[key] = (row.row, name, code or "")
    if code:
        codes_in_file[code] = (row.row, key)
    row.enterprise_state = "new"
    return key


def _check_stages(sheet: _Sheet, row: PreviewRow, today: datetime.date) -> None:
    """The stage and its dates agree: each stage reached has its date (signing and the present stage at least), no
    date for a stage not reached, dates in pipeline order; the moves to replay are kept on the row."""
    dates = {stage: row.get(name) for stage, name in DATED}
    highest = max((s for s, d in dates.items() if d), key=_rank, default=None)
    stage = row.get("stage")
    if "stage" in row.values and stage is None:
        return  # unreadable, reported
    dropped_on = row.get("dropped_on")
    if not stage:
        stage = Stage.DROPPED if dropped_on else (highest or Stage.LEAD)
    row.values["stage"] = stage
    reached = highest if stage == Stage.DROPPED else stage
    if stage == Stage.DROPPED:
        if not dropped_on:
            sheet.add(row, "dropped_on", _("A dropped project needs the date it was dropped."))
        if not row.get("dropped_reason"):
            sheet.add(row, "dropped_reason", _("Say why the project was dropped."))
    elif dropped_on or row.get("dropped_reason"):
        sheet.add(row, "dropped_on" if dropped_on else "dropped_reason",
                  _("The project is not dropped (终止), but a date or reason of dropping is given."))  # fmt: skip
    for dated, name in DATED:
        if dates[dated] and (reached is None or _rank(dated) > _rank(reached)) and stage != Stage.DROPPED:
            sheet.add(row, name, _("A date is given for %(stage)s, which the project has not reached (its stage is "
                                   "%(now)s).") % {"stage": Stage(dated).label, "now": Stage(stage).label})  # fmt: skip
    unreadable = _problem_fields(sheet, row)
    if reached and _rank(reached) >= _rank(Stage.SIGNED) and reached != Stage.DROPPED:
        if not dates[Stage.SIGNED] and "signed_on" not in unreadable:
            sheet.add(row, "signed_on", _("A project at %(stage)s needs its signing date: it counts at its first "
                                          "signing.") % {"stage": Stage(reached).label})  # fmt: skip
        if (
            reached != Stage.SIGNED
            and reached in dates
            and not dates[reached]
            and dict(DATED)[reached] not in unreadable
        ):
            sheet.add(row, dict(DATED)[reached], _("Give the date the project reached %(stage)s.") % {
                "stage": Stage(reached).label})  # fmt: skip
    # Dates in pipeline order.
    entered = row.get("entered_on")
    sequence = (
        [("entered_on", entered)] + [(name, dates[s]) for s, name in DATED] + [("dropped_on", dropped_on)]
    )
    last_name, last_day = None, None
    for name, day in sequence:
        if not day:
            continue
        if last_day and day < last_day:
            sheet.add(row, name, _("This date is before the %(earlier)s (%(day)s).") % {
                "earlier": _field(last_name),
                "day": f"{last_day.year}年{last_day.month}月{last_day.day}日"})  # fmt: skip
        last_name, last_day = name, day
    first_day = next((day for _name, day in sequence if day), None)
    row.values["entered_on"] = entered or first_day or today
    start = Stage.NEGOTIATING if reached and _rank(reached) >= _rank(Stage.NEGOTIATING) else Stage.LEAD
    row.resolved["start_stage"] = start
    row.moves = [(s, dates[s]) for s, _name in DATED if dates[s] and reached and _rank(s) <= _rank(reached)]
    if stage == Stage.DROPPED and dropped_on:
        row.moves.append((Stage.DROPPED, dropped_on))


def _field(name: str | None) -> str:
    from .importing import FIELD_NAMES

    return str(FIELD_NAMES.get(name or "", name or ""))


def _check_amounts(sheet: _Sheet, row: PreviewRow) -> None:
    unreadable = _problem_fields(sheet, row)
    signed = bool(row.get("signed_on")) or "signed_on" in unreadable
    kind = row.get("kind") or ProjectKind.NEW
    contract, increment = row.get("contract_amount"), row.get("increment_amount")
    if signed:
        if contract is None and "contract_amount" not in _problem_fields(sheet, row):
            sheet.add(row, "contract_amount", _("A signed project needs its contract amount."))
        if not row.get("agreement_type") and "agreement_type" not in _problem_fields(sheet, row):
            sheet.add(row, "agreement_type", _("Say whether the agreement is a framework or a formal one."),
                      _("Write 框架协议 or 正式协议."))  # fmt: skip
    elif contract is not None:
        sheet.add(row, "contract_amount", _("A contract amount is given, but the project has no signing date."),
                  _("Give the signing date, or leave the amount empty."))  # fmt: skip
    if kind == ProjectKind.NEW:
        if increment is not None:
            sheet.add(row, "increment_amount", _("Only a capital increase or an upgrade has an increase amount."),
                      _("Write 增资 or 升级 as the kind, or leave the amount empty."))  # fmt: skip
    elif signed:
        if increment is None and "increment_amount" not in _problem_fields(sheet, row):
            sheet.add(row, "increment_amount", _("Give the amount of the increase or upgrade: only that amount "
                                                 "counts."))  # fmt: skip
        elif increment is not None and contract is not None and increment > contract:
            sheet.add(row, "increment_amount", _("The increase or upgrade cannot be larger than the contract "
                                                 "amount."))  # fmt: skip
    if (
        row.get("registered_on")
        and row.get("registered_capital") is None
        and "registered_capital" not in _problem_fields(sheet, row)
    ):
        sheet.add(row, "registered_capital", _("A registered project needs its registered capital."))
    if row.get("registered_on") and not row.get("credit_code"):
        enterprise = row.resolved.get("enterprise")
        if enterprise is None or not enterprise.credit_code:
            sheet.add(row, "credit_code", _("A registered project needs the enterprise's unified social credit "
                                            "code."))  # fmt: skip


def _problem_fields(sheet: _Sheet, row: PreviewRow) -> set[str]:
    return {p.field for p in sheet.preview.problems if p.row == row.row and p.field}


def _resolve_base(sheet, row: PreviewRow, look: _Lookups, ref, projects_in_file: dict) -> None:
    kind = row.get("kind") or ProjectKind.NEW
    base_name = row.get("base_project")
    if kind == ProjectKind.NEW:
        if base_name:
            sheet.add(row, "base_project", _("Only a capital increase or an upgrade adds to a base project."))
        return
    if not base_name:
        sheet.add(row, "base_project" if "base_project" in sheet.preview.columns else "kind",
                  _("Name the project this capital increase or upgrade adds to."))  # fmt: skip
        return
    if ref is None:
        return
    key = v.plain(base_name)
    if isinstance(ref, int) and (ref, key) in look.projects:
        row.resolved["base_project"] = look.projects[(ref, key)]
    elif (ref, key) in projects_in_file and projects_in_file[(ref, key)] < row.row:
        row.resolved["base_row"] = projects_in_file[(ref, key)]
    else:
        sheet.add(row, "base_project", _("The enterprise has no project “%(name)s”.") % {"name": base_name},
                  _("Name one of its projects in the pipeline, or one on an earlier row."))  # fmt: skip
