"""The quarterly feedback to employers (page and .xlsx) and the annual summary, ranked (page and .xlsx)."""

import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tuijin.core.audit import record
from tuijin.org.models import Unit

from . import feedback
from .access import may_see_unit, require_entry

QUARTER_RE = re.compile(r"^\d{4}-Q[1-4]$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _period(value: str) -> str:
    if not QUARTER_RE.match(value or ""):
        raise Http404
    return value


@login_required
def feedback_index(request):
    """The office and leaders: every employer's confirmed service in a quarter. A unit: its own quarters."""
    scope = require_entry(request.user)
    today = timezone.localdate()
    quarters = feedback.last_quarters(today, 8)
    period = request.GET.get("period") or quarters[0]
    if period not in quarters:
        period = _period(period)
    if scope.reads_all:
        units = list(feedback.units_with_members())
    elif scope.units:
        units = list(Unit.objects.filter(pk__in=scope.units).order_by("name"))
    else:
        raise PermissionDenied
    totals = feedback.quarter_totals([u.pk for u in units], period)
    rows = [(unit, totals.get(unit.pk)) for unit in units]
    return render(request, "partybuilding/feedback_index.html",
                  {"rows": rows, "period": period, "quarters": quarters, "label": feedback.chinese_label(period),
                   "scope": scope})  # fmt: skip


def _unit_quarter(request, unit_code, period) -> feedback.UnitQuarter:
    require_entry(request.user)
    unit = get_object_or_404(Unit, code=unit_code)
    if not may_see_unit(request.user, unit.pk):
        raise Http404
    return feedback.unit_quarter(unit, _period(period))


@login_required
def feedback_page(request, unit_code, period):
    data = _unit_quarter(request, unit_code, period)
    quarters = feedback.last_quarters(timezone.localdate(), 8)
    return render(request, "partybuilding/feedback.html", {"data": data, "quarters": quarters})


@login_required
def feedback_export(request, unit_code, period):
    data = _unit_quarter(request, unit_code, period)
    content = feedback.feedback_xlsx(data)
    record(actor=request.user, action="party.feedback.export", obj=data.unit,
           after={"period": data.period, "members": len(data.members)})  # fmt: skip
    return _xlsx(content, f"{data.unit.name}-双报到服务反馈-{data.period}.xlsx")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@login_required
def summary(request):
    scope = require_entry(request.user)
    if not scope.reads_all:
        raise PermissionDenied
    year = _year(request)
    rows = feedback.annual_summary(year)
    today = timezone.localdate()
    link_period = feedback.current_quarter(today) if year == today.year else f"{year}-Q4"
    return render(request, "partybuilding/summary.html",
                  {"rows": rows, "year": year, "years": range(today.year, today.year - 5, -1),
                   "link_period": link_period})  # fmt: skip


@login_required
def summary_export(request, year):
    scope = require_entry(request.user)
    if not scope.reads_all:
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise Http404
    rows = feedback.annual_summary(year)
    content = feedback.summary_xlsx(year, rows)
    record(actor=request.user, action="party.summary.export", object_type="partybuilding.summary",
           object_id=str(year), object_repr=f"{year}年度双报到工作汇总", after={"units": len(rows)})  # fmt: skip
    return _xlsx(content, f"{year}年度双报到工作汇总.xlsx")
