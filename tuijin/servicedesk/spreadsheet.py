"""Service requests out to .xlsx and in from .xlsx.

The export writes the columns the import reads (and a few more it ignores), every text cell through
`neutralise` (no cell that starts like a formula: CSV/formula injection). The import checks every row first and
names each problem with its row and column; with any problem nothing is saved, otherwise all rows are saved in
one transaction through `services.raise_request` (clocks, history and audit as for a request raised by hand).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter

from tuijin.investment.models import Enterprise, Project
from tuijin.lib import file_checks
from tuijin.lib.spreadsheet_write import neutralise
from tuijin.org.models import Unit, UnitAlias

from . import services
from .models import Callback, Category, Channel

MAX_ROWS = 2000
# field -> (heading, other headings people use)
COLUMNS = {
    "enterprise": ("企业名称", ("企业", "诉求企业")),
    "credit_code": ("统一社会信用代码", ("信用代码", "社会信用代码")),
    "category": ("诉求类别", ("类别", "诉求类型")),
    "title": ("诉求标题", ("标题", "事项")),
    "description": ("诉求内容", ("内容", "具体诉求", "诉求描述")),
    "unit": ("承办单位", ("责任单位", "办理单位")),
    "raised_on": ("提出日期", ("受理日期", "日期")),
    "contact_name": ("联系人", ()),
    "project": ("关联项目", ("项目", "项目名称")),
}
REQUIRED = ("enterprise", "category", "title", "description")
EXPORT_ONLY = [("number", "编号", 14), ("state", "状态", 14), ("ack_due", "签收时限", 18), ("due", "办理时限", 18),
               ("acknowledged_at", "签收时间", 18), ("replied_at", "答复时间", 18), ("overdue", "是否超期", 10),
               ("satisfaction", "满意度", 12), ("callback", "回访", 8), ("reply", "答复内容", 40)]  # fmt: skip
WIDTHS = {"enterprise": 28, "credit_code": 22, "title": 30, "description": 44, "unit": 20, "project": 24}


def _text(value) -> str:
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(requests):
    now = timezone.now()
    requests = requests.select_related("category", "enterprise", "unit", "project").annotate(
        called_back=Exists(Callback.objects.filter(request=OuterRef("pk")))
    )
    for req in requests.order_by("raised_at", "pk").iterator(chunk_size=500):
        yield {
            "number": req.number, "enterprise": req.enterprise.name, "credit_code": req.enterprise.credit_code,
            "category": req.category.name, "title": req.title, "description": req.description, "unit": req.unit.name,
            "raised_on": timezone.localtime(req.raised_at).date(), "contact_name": req.contact_name,
            "project": req.project.name if req.project_id else "", "state": req.get_state_display(),
            "ack_due": _when(req.ack_due), "due": _when(req.due), "acknowledged_at": _when(req.acknowledged_at),
            "replied_at": _when(req.replied_at), "overdue": "是" if req.is_overdue(now) else "",
            "satisfaction": req.get_satisfaction_display(), "callback": "是" if req.called_back else "",
            "reply": req.reply,
        }  # fmt: skip


def write_requests(target, requests) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业诉求")
    keys = (
        [("number", "编号", 14)]
        + [(k, h, WIDTHS.get(k, 14)) for k, (h, _o) in COLUMNS.items()]
        + EXPORT_ONLY[1:]
    )
    for index, (_k, _h, width) in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header = []
    for _k, heading, _w in keys:
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in export_rows(requests):
        cells = []
        for key, _h, _w in keys:
            value = row.get(key)
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = 'yyyy"年"m"月"d"日"'
            else:
                cell = WriteOnlyCell(ws, value=_text(value))
            cells.append(cell)
        ws.append(cells)
        count += 1
    notes = wb.create_sheet("填写说明")
    notes.append(
        ["诉求类别", "、".join(Category.objects.filter(is_active=True).values_list("name", flat=True))]
    )
    notes.append(["导入规则", "企业须已在企业库中（按统一社会信用代码或企业名称匹配）；承办单位为空时按类别的默认单位；"
                  "提出日期为空时为导入当天；有任何错误时整表不导入"])  # fmt: skip
    wb.save(target)
    return count


# ——— import ———


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = (f"第{self.row}行 " if self.row else "") + (f"{self.column}列 " if self.column else "")
        return f"{where}{self.message}"


@dataclass
class ImportResult:
    created: list
    problems: list[Problem]


def _check_file(upload) -> bytes:
    name = upload.name or "file"
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is too large."))
    upload.seek(0)
    content = upload.read()
    if not content.startswith(file_checks.ZIP_MAGIC):
        raise ValidationError(_("“%(name)s” is not an Excel workbook (.xlsx). Open it in Excel and save it as .xlsx.")
                              % {"name": name})  # fmt: skip
    file_checks.refuse_active_content(name, content[:2048])
    file_checks.check_office_zip(name, io.BytesIO(content))
    return content


def _header_map(row) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        text = str(value or "").strip().replace(" ", "").replace("\n", "")
        for name, (heading, others) in COLUMNS.items():
            if name not in found and (text == heading or text in others):
                found[name] = index
    return found


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _unit_lookup() -> dict[str, Unit]:
    lookup: dict[str, Unit] = {}
    for unit in Unit.objects.active():
        lookup[unit.name] = unit
        if unit.short_name:
            lookup.setdefault(unit.short_name, unit)
    for alias in UnitAlias.objects.select_related("unit").filter(unit__is_active=True):
        lookup.setdefault(alias.name, alias.unit)
    return lookup


def import_requests(upload, *, actor) -> ImportResult:
    """Check every row; save all or none."""
    content = _check_file(upload)
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The workbook cannot be read: %(e)s") % {"e": exc}) from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 20))
    wb.close()
    problems: list[Problem] = []
    header_at, mapping = None, {}
    for index, row in enumerate(rows[:15]):
        mapping = _header_map(row)
        if all(name in mapping for name in REQUIRED):
            header_at = index
            break
    if header_at is None:
        headings = "、".join(COLUMNS[n][0] for n in REQUIRED)
        return ImportResult([], [Problem(None, None, _("No heading row found; the sheet needs the columns %(h)s.")
                                         % {"h": headings})])  # fmt: skip
    letter = {name: get_column_letter(i + 1) for name, i in mapping.items()}
    categories = {c.name: c for c in Category.objects.filter(is_active=True)}
    units = _unit_lookup()
    today = timezone.localdate()
    planned = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {name: row[i] if i < len(row) else None for name, i in mapping.items()}
        texts = {name: str(v).strip() if v is not None else "" for name, v in values.items()}
        if not any(texts.values()):
            continue
        if len(planned) >= MAX_ROWS:
            problems.append(
                Problem(offset, None, _("More than %(n)d rows; split the file.") % {"n": MAX_ROWS})
            )
            break

        def bad(name, message, row=offset):
            problems.append(Problem(row, letter.get(name), message))

        for name in REQUIRED:
            if not texts.get(name):
                bad(name, _("%(h)s is empty.") % {"h": COLUMNS[name][0]})
        enterprise = None
        code = texts.get("credit_code", "").upper()
        if code:
            enterprise = Enterprise.objects.filter(credit_code=code).first()
            if enterprise is None:
                bad(
                    "credit_code",
                    _("No enterprise with the credit code %(c)s in the enterprise registry.") % {"c": code},
                )
        elif texts.get("enterprise"):
            matches = list(Enterprise.objects.filter(name=texts["enterprise"])[:2])
            if len(matches) == 1:
                enterprise = matches[0]
            else:
                bad("enterprise", _("“%(n)s” is not in the enterprise registry (or the name is ambiguous); add it "
                                    "there first or give its credit code.") % {"n": texts["enterprise"]})  # fmt: skip
        category = categories.get(texts.get("category", ""))
        if texts.get("category") and category is None:
            bad("category", _("Unknown category “%(c)s”; use one of: %(all)s.")
                % {"c": texts["category"], "all": "、".join(categories)})  # fmt: skip
        unit = None
        if texts.get("unit"):
            unit = units.get(texts["unit"])
            if unit is None:
                bad("unit", _("Unknown unit “%(u)s”.") % {"u": texts["unit"]})
        elif category is not None and category.default_unit_id is None:
            bad("unit", _("The category has no default unit: name the handling unit."))
        raised_on = today
        if texts.get("raised_on"):
            raised_on = _date(values["raised_on"])
            if raised_on is None:
                bad("raised_on", _("“%(v)s” is not a date (e.g. 2021-09-30).") % {"v": texts["raised_on"]})
            elif raised_on > today:
                bad("raised_on", _("The date lies in the future."))
        project = None
        if texts.get("project") and enterprise is not None:
            project = Project.objects.filter(enterprise=enterprise, name=texts["project"]).first()
            if project is None:
                bad("project", _("The enterprise has no project “%(p)s”.") % {"p": texts["project"]})
        if len(texts.get("title", "")) > 200:
            bad("title", _("The title is longer than 200 characters."))
        planned.append({"row": offset, "enterprise": enterprise, "category": category, "unit": unit,
                        "project": project, "title": texts.get("title", ""),
                        "description": texts.get("description", ""), "contact_name": texts.get("contact_name", ""),
                        "raised_on": raised_on})  # fmt: skip
    if not planned and not problems:
        problems.append(Problem(None, None, _("The sheet has no rows under its headings.")))
    if problems:
        return ImportResult([], problems)
    created = []
    with transaction.atomic():
        for item in planned:
            raised_on = item.pop("raised_on")
            row = item.pop("row")
            now = timezone.now()
            when = now if raised_on == today else timezone.make_aware(
                datetime.datetime.combine(raised_on, datetime.time(9, 0)))  # fmt: skip
            try:
                created.append(services.raise_request(actor=actor, channel=Channel.IMPORT, now=when, **item))
            except services.DeskError as exc:
                transaction.set_rollback(True)
                return ImportResult([], [Problem(row, letter.get(exc.field or ""), exc.message)])
    return ImportResult(created, [])


def template(target) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业诉求")
    ws.append([WriteOnlyCell(ws, value=heading) for heading, _o in COLUMNS.values()])
    wb.save(target)
