"""The spaces dashboard — occupancy by building, sector and kind; queues and waiting times; subsidy granted per
month (market rent less the rent charged) — and its .xlsx export. Personal data leaves only masked."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils.cell import get_column_letter

from tuijin.core import privacy
from tuijin.lib.masking import mask_id_number, mask_phone
from tuijin.lib.spreadsheet_write import neutralise

from .access import scope_of, visible_spaces
from .models import Application, Category, Lease, Policy, Space, SpaceKind

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
WAN = Decimal(10000)


@dataclass
class Occupancy:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def let(self) -> int:
        return self.counts[Space.Status.OCCUPIED] + self.counts[Space.Status.RESERVED]

    @property
    def rate(self) -> float:
        return round(100 * self.let / self.total, 1) if self.total else 0.0

    def get(self, status: str) -> int:
        return self.counts[status]


def occupancy(user) -> dict[str, list[Occupancy]]:
    """Spaces by status, grouped by building, by sector and by kind (one query)."""
    rows = (
        visible_spaces(user)
        .values("building__name", "building__sector__name", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict[str, dict[str, Occupancy]] = {"building": {}, "sector": {}, "kind": {}}
    kinds = dict(SpaceKind.choices)
    for row in rows:
        for group, label in (("building", row["building__name"]), ("sector", row["building__sector__name"]),
                             ("kind", str(kinds[row["kind"]]))):  # fmt: skip
            groups[group].setdefault(label, Occupancy(label)).counts[row["status"]] += row["n"]
    return {name: sorted(values.values(), key=lambda o: o.label) for name, values in groups.items()}


def queues() -> list[dict]:
    """Per kind: how many wait in each step, and the average wait (days) of those allocated."""
    counts = defaultdict(int)
    for row in Application.objects.values("kind", "state").annotate(n=Count("pk")).order_by():
        counts[(row["kind"], row["state"])] = row["n"]
    waits = defaultdict(list)
    now = timezone.now()
    for kind, submitted, allocated in Application.objects.filter(
        state__in=[Application.State.ALLOCATED, Application.State.QUEUED]
    ).values_list("kind", "submitted_at", "allocated_at"):
        waits[(kind, bool(allocated))].append(((allocated or now) - submitted).days)
    result = []
    for kind, label in SpaceKind.choices:
        done, waiting = waits[(kind, True)], waits[(kind, False)]
        result.append({
            "kind": kind, "label": label,
            "reviewing": counts[(kind, "submitted")] + counts[(kind, "first_passed")],
            "publicity": counts[(kind, "publicity")], "queued": counts[(kind, "queued")],
            "allocated": counts[(kind, "allocated")],
            "average_wait": round(sum(done) / len(done), 1) if done else None,
            "waiting_for": round(sum(waiting) / len(waiting), 1) if waiting else None,
        })  # fmt: skip
    return result


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = [first]
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))


def monthly_subsidy(user, months: int = 6, today: datetime.date | None = None) -> list[dict]:
    """Subsidy granted per month, in yuan: market rent less the rent charged, for every lease running that
    month in the spaces the viewer sees (one query)."""
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    policies = {p.kind: p for p in Policy.objects.all()}
    leases = list(
        Lease.objects.filter(space__in=visible_spaces(user), start__lte=today)
        .exclude(state=Lease.State.SIGNED)
        .select_related("application", "space")
        # sealed fields: unsealing thousands of them was most of the dashboard's time at city scale
        .defer("application__id_number", "application__phone")
    )
    rows = []
    for month in starts:
        total = {SpaceKind.APARTMENT: Decimal(0), SpaceKind.OFFICE: Decimal(0)}
        for lease in leases:
            out = lease.checked_out_at.date() if lease.checked_out_at else None
            if lease.start > month.replace(day=28) or (out and out < month) or lease.end < month:
                continue
            charged = lease.rent_for_month(month, policies[lease.space.kind])
            total[lease.space.kind] += lease.market_rent - charged
        rows.append({"month": month, "apartment": total[SpaceKind.APARTMENT], "office": total[SpaceKind.OFFICE],
                     "total": total[SpaceKind.APARTMENT] + total[SpaceKind.OFFICE]})  # fmt: skip
    return rows


def overdue_reviews(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    first = Application.objects.filter(state=Application.State.SUBMITTED, first_review_due__lt=today).count()
    second = Application.objects.filter(
        state=Application.State.FIRST_PASSED, second_review_due__lt=today
    ).count()
    return first + second


# — .xlsx —


def _cell(ws, value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal | int | float):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = "#,##0.00" if isinstance(value, Decimal | float) else "0"
        return cell
    return WriteOnlyCell(
        ws, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))
    )


def _sheet(wb: Workbook, title: str, header: list[str], rows) -> int:
    ws = wb.create_sheet(title)
    for index, _h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 18
    heads = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        heads.append(cell)
    ws.append(heads)
    count = 0
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
        count += 1
    return count


def write_dashboard(target, *, user) -> None:
    """The dashboard as a workbook: occupancy, monthly subsidy (万元), the inventory; for space managers also the
    applications and leases, ID numbers and phones masked (the export is recorded)."""
    wb = Workbook(write_only=True)
    groups = occupancy(user)
    statuses = Space.Status.choices
    rows = []
    for group, name in (("building", "楼栋"), ("sector", "板块"), ("kind", "类型")):
        for o in groups[group]:
            rows.append([name, o.label, o.total, *[o.get(s) for s, _l in statuses], f"{o.rate}%"])
    _sheet(wb, "入住率", ["维度", "名称", "总数", *[str(label) for _s, label in statuses], "入住率"], rows)
    _sheet(wb, "每月补贴", ["月份", "人才公寓（万元）", "拎包办公（万元）", "合计（万元）"], [
        [f"{r['month']:%Y年%m月}", r["apartment"] / WAN, r["office"] / WAN, r["total"] / WAN]
        for r in monthly_subsidy(user, months=12)])  # fmt: skip
    spaces = visible_spaces(user).select_related("building__sector")
    _sheet(wb, "房源", ["楼栋", "板块", "房号", "类型", "户型/工位", "面积（㎡）", "市场租金（元/月）", "状态", "配置"], (
        [s.building.name, s.building.sector.name, s.label, s.get_kind_display(), s.size_text, s.area, s.market_rent,
         s.get_status_display(), "、".join(s.furnishing)] for s in spaces))  # fmt: skip
    if scope_of(user).is_manager:
        applications = Application.objects.select_related("policy").order_by("submitted_at")
        count = _sheet(wb, "申请", ["编号", "类型", "类别", "姓名", "身份证号", "手机", "单位/企业", "得分", "状态",
                                   "申请时间"], (
            [a.number, a.get_kind_display(), Category(a.category).label, a.name, mask_id_number(a.id_number),
             mask_phone(a.phone), a.employer, a.score, a.get_state_display(), a.submitted_at]
            for a in applications))  # fmt: skip
        privacy.record_export(actor=user, model=Application, names=["id_number", "phone"], rows=count, full=False,
                              description="spaces dashboard export")  # fmt: skip
        leases = Lease.objects.filter(space__in=visible_spaces(user)).select_related(
            "space__building", "application"
        )
        _sheet(wb, "租约", ["房源", "申请编号", "承租人", "状态", "起租", "到期", "市场租金", "月租金", "租金规则"], (
            [str(x.space), x.application.number, x.application.name, x.get_state_display(), x.start, x.end,
             x.market_rent, x.monthly_rent, x.rent_rule] for x in leases))  # fmt: skip
    if isinstance(target, str | os.PathLike):
        wb.save(os.fspath(target))
    else:
        wb.save(target)
