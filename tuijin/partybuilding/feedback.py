"""What goes back to employers: each quarter's feedback per unit, the annual summary ranked, and the reminders
to members who have not served yet this quarter. Only confirmed service counts.

`tuijin tick` runs `run_periodic(now)` (both sends are idempotent: once per unit and quarter, once per member
and quarter)."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tuijin.assessment.periods import bounds, chinese_label, period_of, previous_period
from tuijin.core.audit import record
from tuijin.lib.spreadsheet_write import neutralise
from tuijin.notifications.services import notify, notify_units
from tuijin.org.models import Unit

from .models import (
    Claim,
    Community,
    Feedback,
    MemberRegistration,
    Need,
    Registration,
    RegistrationState,
    ServiceRecord,
)

# The workbook is a Chinese document whatever the reader's language.
XLSX_STATES = {"submitted": "待接收", "accepted": "已接收", "returned": "已退回", "withdrawn": "已撤回"}

# Communities confirm the last weeks' service after the quarter ends: feedback goes out this many days later.
FEEDBACK_GRACE_DAYS = 5


def quarter_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    return bounds("quarter", period)


def current_quarter(today: datetime.date) -> str:
    return period_of("quarter", today)


def last_quarters(today: datetime.date, count: int = 4) -> list[str]:
    """The current quarter and the ones before it, newest first."""
    periods, day = [], today
    for _i in range(count):
        period = period_of("quarter", day)
        periods.append(period)
        day = quarter_bounds(period)[0] - datetime.timedelta(days=1)
    return periods


# ——— quarterly feedback per unit ———


@dataclass
class MemberLine:
    member_id: int
    name: str
    community: str = ""
    state: str = ""
    hours: Decimal = Decimal(0)
    records: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return RegistrationState(self.state).label if self.state else ""


@dataclass
class UnitQuarter:
    unit: Unit
    period: str
    start: datetime.date
    end: datetime.date
    members: list[MemberLine]
    registrations: list
    hours: Decimal
    record_count: int

    @property
    def label(self) -> str:
        return chinese_label(self.period)

    @property
    def serving_members(self) -> int:
        return sum(1 for m in self.members if m.hours)


def unit_quarter(unit: Unit, period: str) -> UnitQuarter:
    """The unit's members in the quarter: each registered member with the confirmed service they gave."""
    start, end = quarter_bounds(period)
    regs = (
        MemberRegistration.objects.filter(unit=unit, registered_on__lte=end)
        .exclude(state=RegistrationState.WITHDRAWN)
        .select_related("member", "community")
        .order_by("member__display_name", "member__username", "-registered_on")
    )
    lines: dict[int, MemberLine] = {}
    for reg in regs:
        if reg.member_id not in lines:
            lines[reg.member_id] = MemberLine(reg.member_id, str(reg.member), str(reg.community), reg.state)
    records = (
        ServiceRecord.objects.filter(
            unit=unit, state=ServiceRecord.State.CONFIRMED, served_on__range=(start, end)
        )
        .select_related("member", "community")
        .order_by("served_on", "id")
    )
    total, count = Decimal(0), 0
    for service in records:
        line = lines.setdefault(service.member_id, MemberLine(service.member_id, str(service.member)))
        line.records.append(service)
        line.hours += service.hours
        total += service.hours
        count += 1
    members = sorted(lines.values(), key=lambda m: (-m.hours, m.name))
    registrations = list(
        Registration.objects.filter(unit=unit).exclude(state=RegistrationState.WITHDRAWN)
        .select_related("community").order_by("community__name")
    )  # fmt: skip
    return UnitQuarter(unit, period, start, end, members, registrations, total, count)


def feedback_xlsx(data: UnitQuarter) -> bytes:
    """The feedback card as a workbook (a Chinese document whatever the reader's language); no formulas run."""
    wb = Workbook()
    title = f"{data.unit.name}在职党员到社区报到服务情况反馈（{data.label}）"
    _sheet(wb, "汇总", title, ["序号", "姓名", "报到社区", "报到状态", "确认服务时长（小时）", "服务次数"],
           [6, 14, 30, 12, 18, 10],
           ([i, m.name, m.community, XLSX_STATES.get(m.state, ""), float(m.hours), len(m.records)]
            for i, m in enumerate(data.members, start=1)), first=True,
           footer=["", "合计", "", "", float(data.hours), data.record_count])  # fmt: skip
    _sheet(wb, "服务记录", title, ["日期", "姓名", "社区", "服务内容", "时长（小时）"], [12, 14, 30, 44, 12],
           ([s.served_on.isoformat(), m.name, str(s.community), s.activity, float(s.hours)]
            for m in data.members for s in m.records))  # fmt: skip
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value):
    return neutralise(value) if isinstance(value, str) else value


def _sheet(wb, name, title, headers, widths, rows, first=False, footer=None):
    ws = wb.active if first else wb.create_sheet()
    ws.title = name
    ws.append([_cell(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    if footer:
        ws.append([_cell(v) for v in footer])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=2, column=index).column_letter].width = width
    ws.freeze_panes = "A3"
    return ws


def units_with_members(period_end: datetime.date | None = None):
    """Units that have registered members or a registration with a community (the employers to feed back to)."""
    members = MemberRegistration.objects.exclude(state=RegistrationState.WITHDRAWN)
    units = Registration.objects.exclude(state=RegistrationState.WITHDRAWN)
    if period_end:
        members, units = (
            members.filter(registered_on__lte=period_end),
            units.filter(registered_on__lte=period_end),
        )
    ids = set(members.values_list("unit_id", flat=True)) | set(units.values_list("unit_id", flat=True))
    return (
        Unit.objects.filter(pk__in=ids).exclude(pk__in=Community.objects.values("unit_id")).order_by("name")
    )


def send_quarterly_feedback(*, now: datetime.datetime | None = None) -> int:
    """Once the last quarter has ended (and the grace days passed), tell each employer its members' confirmed
    service; once per unit and quarter. Returns how many units were told now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = previous_period("quarter", today)
    start, end = quarter_bounds(period)
    if today < end + datetime.timedelta(days=1 + FEEDBACK_GRACE_DAYS):
        return 0
    sent = 0
    done = set(Feedback.objects.filter(period=period).values_list("unit_id", flat=True))
    totals = {
        row["unit_id"]: row
        for row in ServiceRecord.objects.filter(state=ServiceRecord.State.CONFIRMED, served_on__range=(start, end))
        .values("unit_id").annotate(hours=Sum("hours"), n=Count("id"), members=Count("member_id", distinct=True))
    }  # fmt: skip
    for unit in units_with_members(end).exclude(pk__in=done):
        row = totals.get(unit.pk, {"hours": Decimal(0), "n": 0, "members": 0})
        with transaction.atomic():
            feedback, created = Feedback.objects.get_or_create(
                unit=unit, period=period,
                defaults={"members": row["members"], "hours": row["hours"] or 0, "records": row["n"], "sent_at": now},
            )  # fmt: skip
            if not created:
                continue
            record(actor=None, action="party.feedback.send", obj=feedback,
                   after={"unit": unit.name, "period": period, "hours": row["hours"], "records": row["n"]})  # fmt: skip
            notify_units(
                units=[unit], key=f"party:feedback:{unit.pk}:{period}", kind="party.feedback", now=now,
                title=_("%(quarter)s: your members' service in the community") % {"quarter": chinese_label(period)},
                body=_("%(members)s members served %(hours)s confirmed hours in %(records)s activities.")
                % {"members": row["members"], "hours": row["hours"] or 0, "records": row["n"]},
                url=reverse("party_feedback", args=[unit.code, period]),
            )  # fmt: skip
        sent += 1
    return sent


# ——— reminders ———


def remind_idle_members(today: datetime.date | None = None, *, now: datetime.datetime | None = None) -> int:
    """Past the middle of a quarter, remind each registered member with no confirmed service in it so far; once
    per member and quarter. Returns how many were reminded now."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = current_quarter(today)
    start, end = quarter_bounds(period)
    if today <= start + (end - start) / 2:
        return 0
    served = ServiceRecord.objects.filter(
        state=ServiceRecord.State.CONFIRMED, served_on__range=(start, today)
    ).values("member_id")
    registrations = (
        MemberRegistration.objects.filter(
            state=RegistrationState.ACCEPTED, member__is_active=True, registered_on__lte=today
        )  # fmt: skip
        .exclude(member_id__in=served)
        .select_related("member", "community")
        .order_by("member_id")
    )
    reminded = 0
    for reg in registrations:
        created = notify(
            user=reg.member, key=f"party:idle:{period}", kind="party.reminder", now=now, level="yellow",
            title=_("No confirmed community service yet this quarter"),
            body=_("%(quarter)s ends on %(end)s. See the needs of %(community)s and log the service you give.")
            % {"quarter": chinese_label(period), "end": end.isoformat(), "community": reg.community},
            url=reverse("party_need_list"),
        )  # fmt: skip
        reminded += created is not None
    return reminded


def run_periodic(now: datetime.datetime) -> str:
    """The tick step: reminders to idle members, then the feedback of a finished quarter."""
    reminded = remind_idle_members(timezone.localdate(now), now=now)
    feedback = send_quarterly_feedback(now=now)
    return f"idle members reminded: {reminded}, unit feedback sent: {feedback}"


# ——— the annual summary, ranked ———


@dataclass
class SummaryRow:
    unit: Unit
    registered: int = 0
    serving: int = 0
    hours: Decimal = Decimal(0)
    needs_done: int = 0
    communities: int = 0
    rank: int = 0

    @property
    def share(self) -> float:
        """Share of registered members with confirmed service, in per cent."""
        return round(100 * self.serving / self.registered, 1) if self.registered else 0.0


def annual_summary(year: int) -> list[SummaryRow]:
    """Per unit: members registered by the year's end, the share of them who served, confirmed hours, needs its
    members helped fulfil; ranked by hours, then share (equal figures share a rank)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows: dict[int, SummaryRow] = {}
    units = {u.pk: u for u in units_with_members(end)}

    def row(unit_id: int) -> SummaryRow | None:
        if unit_id not in units:
            return None
        return rows.setdefault(unit_id, SummaryRow(units[unit_id]))

    registered = defaultdict(set)
    for unit_id, member_id in (
        MemberRegistration.objects.filter(registered_on__lte=end, state=RegistrationState.ACCEPTED)
        .values_list("unit_id", "member_id")
    ):  # fmt: skip
        registered[unit_id].add(member_id)
    served = defaultdict(set)
    hours = defaultdict(Decimal)
    for unit_id, member_id, value in ServiceRecord.objects.filter(
        state=ServiceRecord.State.CONFIRMED, served_on__range=(start, end)
    ).values_list("unit_id", "member_id", "hours"):
        served[unit_id].add(member_id)
        hours[unit_id] += value
    needs = dict(
        Claim.objects.filter(
            withdrawn_at__isnull=True, need__state=Need.State.DONE, need__done_at__date__range=(start, end)
        )  # fmt: skip
        .values_list("unit_id")
        .annotate(n=Count("need_id", distinct=True))
    )
    communities = dict(
        Registration.objects.filter(state=RegistrationState.ACCEPTED, registered_on__lte=end)
        .values_list("unit_id")
        .annotate(n=Count("community_id", distinct=True))
    )
    for unit_id in units:
        r = row(unit_id)
        r.registered = len(registered[unit_id])
        r.serving = len(served[unit_id] & registered[unit_id]) if registered[unit_id] else 0
        r.hours = hours[unit_id]
        r.needs_done = needs.get(unit_id, 0)
        r.communities = communities.get(unit_id, 0)
    ranked = sorted(rows.values(), key=lambda r: (-r.hours, -r.share, r.unit.name))
    previous = None
    for position, r in enumerate(ranked, start=1):
        key = (r.hours, r.share)
        r.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, r.rank)
    return ranked


def summary_xlsx(year: int, rows: list[SummaryRow]) -> bytes:
    wb = Workbook()
    title = f"{year}年度机关党组织和在职党员“双报到”工作汇总"
    _sheet(wb, "汇总排名", title,
           ["排名", "单位", "报到社区数", "报到党员数", "参与服务党员数", "参与率（%）", "确认服务时长（小时）", "完成需求数"],
           [6, 30, 10, 10, 12, 10, 16, 10],
           ([r.rank, r.unit.name, r.communities, r.registered, r.serving, r.share, float(r.hours), r.needs_done]
            for r in rows), first=True)  # fmt: skip
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def quarter_totals(unit_ids, period: str) -> dict[int, dict]:
    """Confirmed hours and records per unit in a quarter, for the overview page (one query)."""
    start, end = quarter_bounds(period)
    return {
        row["unit_id"]: row
        for row in ServiceRecord.objects.filter(
            Q(unit_id__in=unit_ids), state=ServiceRecord.State.CONFIRMED, served_on__range=(start, end)
        ).values("unit_id").annotate(hours=Sum("hours"), n=Count("id"), members=Count("member_id", distinct=True))
    }  # fmt: skip
