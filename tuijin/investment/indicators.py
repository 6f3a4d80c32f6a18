"""Assessment indicators measured from the pipeline (tuijin/assessment/registry.py), per unit — the sector a project
belongs to — for all units at once with two queries (the projects, the targets).

- `investment.signed_count`: projects counted as signed (once, at their first signing) against the target for the
  time gone by: signed ÷ (annual target × share of the year elapsed at the period's end), capped at 1.
- `investment.signed_amount`: the same with the counted amount (亿元; a capital increase or an upgrade counts its
  increase only).
- `investment.start_rate`: of the projects signed in the window, those whose construction had started (开工, or
  that operated) by the period's end.
- `investment.funds_rate`: funds arrived ÷ counted amount of the projects signed in the window (funds as recorded
  now: the pipeline keeps no dated history of them).

The window runs from 1 January of the period's year to the period's end (today while it runs): a quarterly round
measures the year so far against the year's target so far (序时进度). `params` may say `{"cumulative": false}` to
measure the period alone.

Targets: `params["targets"]` {unit name or short name: figure} or `params["target"]` (for every unit; amounts in
亿元); otherwise the annual-plan tasks bound to the pipeline for that sector and year (MeasureBinding with the same
measure) — the one without a category or channel filter, or else the sum of the category ones. A unit without a
target is not measured on it ("no target: full marks").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MeasureBinding, Project

YI = Decimal(10000)
_url_pattern: list[str] = []


def _project_url(code) -> str:
    if not _url_pattern:
        from django.urls import reverse

        marker = "00000000-0000-0000-0000-000000000000"
        _url_pattern.append(reverse("investment_project_detail", args=[marker]).replace(marker, "{}"))
    return _url_pattern[0].format(code)


def _source(code, name: str, note: str, counted: bool = True, **extra) -> dict:
    return {"kind": "project", "code": str(code), "label": name[:80], "url": _project_url(code), "note": note,
            "counted": counted, **extra}  # fmt: skip


def _window(period_start: datetime.date, period_end: datetime.date, params: dict):
    from tuijin.assessment.records import as_of

    end = as_of(period_end)
    start = (
        period_start
        if params.get("cumulative") is False
        else min(period_start, datetime.date(end.year, 1, 1))
    )
    return start, end


def _share(start: datetime.date, end: datetime.date) -> float:
    """The part of the year the window covers (序时进度), as a fraction."""
    year_days = (datetime.date(end.year, 12, 31) - datetime.date(end.year, 1, 1)).days + 1
    return max(0, (end - start).days + 1) / year_days


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _yi(amount: Decimal) -> str:
    return f"{(amount / YI).quantize(Decimal('0.01'))}亿元"


def _signings(units, start, end):
    """(sector id, code, name, first signed on, counted amount, started?, funds) of the projects signed in the window."""
    rows = (Project.objects.filter(sector_id__in=[u.pk for u in units], first_signed_on__gte=start,
                                   first_signed_on__lte=end)
            .order_by("first_signed_on", "id")
            .values_list("sector_id", "code", "name", "first_signed_on", "counted_amount", "started_on",
                         "operating_on", "funds_arrived"))  # fmt: skip
    by_unit: dict[int, list[tuple]] = defaultdict(list)
    for sector_id, *rest in rows:
        by_unit[sector_id].append(tuple(rest))
    return by_unit


def targets(units, year: int, metric: str, params: dict) -> dict[int, Decimal]:
    """The annual target of each unit: counts, or amounts in 万元."""
    amount = metric == MeasureBinding.Metric.SIGNED_AMOUNT
    found: dict[int, Decimal] = {}
    given = params.get("targets") or {}
    if given or params.get("target") is not None:
        for unit in units:
            value = given.get(unit.name, given.get(unit.short_name)) if given else None
            if value is None:
                value = params.get("target")
            if value is not None:
                found[unit.pk] = Decimal(str(value)) * (YI if amount else 1)
        return found
    whole: dict[int, Decimal] = defaultdict(Decimal)
    parts: dict[int, Decimal] = defaultdict(Decimal)
    bindings = (MeasureBinding.objects.filter(year=year, metric=metric, sector_id__in=[u.pk for u in units])
                .values_list("sector_id", "category_id", "channel", "amount_unit", "task__measure_quantity"))  # fmt: skip
    for sector_id, category_id, channel, amount_unit, quantity in bindings:
        if not quantity:
            continue
        value = quantity * (YI if amount and amount_unit == MeasureBinding.AmountUnit.YI else 1)
        (parts if category_id or channel else whole)[sector_id] += value
    for unit_id in set(whole) | set(parts):
        found[unit_id] = whole[unit_id] if unit_id in whole else parts[unit_id]
    return found


def _against_target(units, period_start, period_end, params, metric: str):
    from tuijin.assessment.registry import Measurement

    start, end = _window(period_start, period_end, params)
    amount = metric == MeasureBinding.Metric.SIGNED_AMOUNT
    by_unit = _signings(units, start, end)
    goals = targets(units, end.year, metric, params)
    share = _share(start, end)
    result = {}
    for unit in units:
        rows = by_unit.get(unit.pk, [])
        sources = [_source(code, name, f"{_('first signed')} {day.isoformat()} · {_yi(counted or Decimal(0))}")
                   for code, name, day, counted, *_rest in rows]  # fmt: skip
        figure = sum((r[3] or Decimal(0) for r in rows), Decimal(0)) if amount else Decimal(len(rows))
        shown = _yi(figure) if amount else str(len(rows))
        goal = goals.get(unit.pk)
        if not goal:
            result[unit.pk] = Measurement(value=1.0, formula=_("signed %(figure)s; no target set for the unit: full "
                                                               "marks") % {"figure": shown}, sources=sources)  # fmt: skip
            continue
        expected = goal * Decimal(str(share))
        value = min(float(figure / expected), 1.0) if expected > 0 else 1.0
        goal_text = _yi(goal) if amount else f"{goal.normalize():f}"
        expected_text = _yi(expected) if amount else f"{expected.quantize(Decimal('0.01'))}"
        formula = _("signed %(figure)s / (annual target %(goal)s × time elapsed %(share)s = %(expected)s) = "
                    "%(rate)s") % {"figure": shown, "goal": goal_text, "share": _pct(share), "expected": expected_text,
                                   "rate": _pct(float(figure / expected)) if expected > 0 else "—"}  # fmt: skip
        if value < float(figure / expected if expected > 0 else 1):
            formula += " · " + _("capped at 100%")
        result[unit.pk] = Measurement(value=value, formula=formula, sources=sources)
    return result


def signed_count(units, period_start, period_end, tasks, params):
    return _against_target(units, period_start, period_end, params, MeasureBinding.Metric.SIGNED_COUNT)


def signed_amount(units, period_start, period_end, tasks, params):
    return _against_target(units, period_start, period_end, params, MeasureBinding.Metric.SIGNED_AMOUNT)


def start_rate(units, period_start, period_end, tasks, params):
    from tuijin.assessment.registry import Measurement

    start, end = _window(period_start, period_end, params)
    by_unit = _signings(units, start, end)
    result = {}
    for unit in units:
        rows = by_unit.get(unit.pk, [])
        sources, hits = [], 0
        for code, name, day, _counted, started_on, operating_on, _funds in rows:
            began = min(d for d in (started_on, operating_on) if d) if (started_on or operating_on) else None
            started = began is not None and began <= end
            hits += started
            note = f"{_('first signed')} {day.isoformat()} · " + (
                f"{_('construction started')} {began.isoformat()}" if started else _("not started")
            )
            sources.append(_source(code, name, note, counted=started))
        if rows:
            value = hits / len(rows)
            formula = _("started %(hits)s / signed %(total)s = %(rate)s") % {
                "hits": hits, "total": len(rows), "rate": _pct(value)}  # fmt: skip
        else:
            value, formula = 1.0, _("no project of the unit was signed in the period: full marks")
        result[unit.pk] = Measurement(value=value, formula=formula, sources=sources)
    return result


def funds_rate(units, period_start, period_end, tasks, params):
    from tuijin.assessment.registry import Measurement

    start, end = _window(period_start, period_end, params)
    by_unit = _signings(units, start, end)
    result = {}
    for unit in units:
        rows = by_unit.get(unit.pk, [])
        counted = sum((r[3] or Decimal(0) for r in rows), Decimal(0))
        funds = sum((r[6] or Decimal(0) for r in rows), Decimal(0))
        sources = [_source(code, name, f"{_('funds arrived')} {_yi(f or Decimal(0))} / {_yi(c or Decimal(0))}")
                   for code, name, _day, c, _s, _o, f in rows]  # fmt: skip
        if counted > 0:
            value = min(float(funds / counted), 1.0)
            formula = _("funds arrived %(funds)s / counted amount %(counted)s = %(rate)s") % {
                "funds": _yi(funds), "counted": _yi(counted), "rate": _pct(float(funds / counted))}  # fmt: skip
        else:
            value, formula = 1.0, _("no project of the unit was signed in the period: full marks")
        result[unit.pk] = Measurement(value=value, formula=formula, sources=sources)
    return result


def register_indicators() -> None:
    """Add the pipeline's calculators to the assessment registry; call from InvestmentConfig.ready()."""
    from tuijin.assessment.registry import register

    register("investment.signed_count", gettext_lazy("Projects signed against the target (招商签约项目数)"),
             signed_count)  # fmt: skip
    register("investment.signed_amount", gettext_lazy("Signed amount against the target (招商签约金额)"),
             signed_amount)  # fmt: skip
    register("investment.start_rate", gettext_lazy("Start rate of signed projects (开工率)"), start_rate)
    register(
        "investment.funds_rate",
        gettext_lazy("Funds-arrived rate of signed projects (资金到位率)"),
        funds_rate,
    )
