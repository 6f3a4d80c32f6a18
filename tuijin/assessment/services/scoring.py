"""From measurements to points, totals, grades and ranks — plain arithmetic, no queries.

The two methods (PRODUCT.md §3, domain-practice §3.1):

- weighted (综合分 = Σ 权重 × 指标得分率): an indicator of weight W earns W × n, where n is the rate (0–1);
  a deduction indicator starts at W and loses its deductions down to 0 (扣完为止); a bonus indicator earns its
  points up to W. Total = Σ earned points + adjustments.
- base 100 (基础分 + 加分 − 减分): a rate indicator of W deducts W × (1 − n); a deduction indicator deducts its
  points, at most W; a bonus indicator adds its points, at most W (W = 0: no cap). Total = base + Σ points.

Every point value is rounded to 2 decimals before it is added up, so the figures shown add up by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..models import Method
from ..registry import Measurement

CENT = Decimal("0.01")


def q2(value) -> Decimal:
    rounded = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0.00"


def fmt(value) -> str:
    return f"{q2(value):.2f}"


def num(value) -> str:
    """20, 0.5, 2.25 — a weight or a count without trailing zeros."""
    return f"{float(value):g}"


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


@dataclass
class Scored:
    points: Decimal
    formula: str


def score_rate(method: str, weight: Decimal, n: float) -> Scored:
    n = max(0.0, min(1.0, n))
    w = float(weight)
    if method == Method.WEIGHTED:
        return Scored(q2(w * n), f"{num(weight)} × {pct(n)} = {fmt(w * n)}")
    return Scored(q2(-w * (1 - n)), f"−{num(weight)} × (1 − {pct(n)}) = {fmt(-w * (1 - n))}")


def score_points(method: str, weight: Decimal, points: float, higher_is_better: bool) -> Scored:
    """Points the records earned by themselves: deductions (≤ 0) or bonuses (≥ 0)."""
    w = float(weight)
    if not higher_is_better:  # deductions
        if method == Method.WEIGHTED:
            earned = max(0.0, w + points)
            return Scored(q2(earned), _("%(w)s − %(d)s = %(p)s (not below 0)") % {
                "w": num(weight), "d": num(-points), "p": fmt(earned)})  # fmt: skip
        capped = max(points, -w) if w > 0 else points
        note = _(" (at most %(w)s)") % {"w": num(weight)} if capped != points else ""
        return Scored(q2(capped), f"{fmt(capped)}{note}")
    capped = min(points, w) if w > 0 else points
    note = _(" (at most %(w)s)") % {"w": num(weight)} if capped != points else ""
    return Scored(q2(capped), f"+{fmt(capped)}{note}")


def score_auto(
    method: str, weight: Decimal, m: Measurement, higher_is_better: bool, best: float | None
) -> Scored:
    """Points for an automatic indicator. `best` is the largest value among units when the indicator is
    normalised against the best unit (params {"normalise": "max"}), else None."""
    if m.points is not None:
        return score_points(method, weight, m.points, higher_is_better)
    n = m.value
    if best is not None:
        n = m.value / best if best > 0 else 1.0
        scored = score_rate(method, weight, n)
        scored.formula = _("%(v)s / best %(b)s = %(n)s; %(f)s") % {
            "v": num(m.value), "b": num(best), "n": pct(min(n, 1.0)), "f": scored.formula}  # fmt: skip
        return scored
    return score_rate(method, weight, n)


def score_manual(method: str, weight: Decimal, entered: Decimal | None) -> Scored:
    w = Decimal(weight)
    if entered is None:
        return Scored(Decimal("0.00"), _("no score entered: 0"))
    if method == Method.WEIGHTED:
        points = min(max(entered, Decimal(0)), w) if w > 0 else max(entered, Decimal(0))
    else:
        points = min(max(entered, -w), w) if w > 0 else entered
    note = _(" (limited to %(w)s)") % {"w": num(weight)} if points != entered else ""
    return Scored(q2(points), _("entered %(e)s%(note)s") % {"e": fmt(entered), "note": note})


def score_adjustments(bonus: Decimal, deduction: Decimal, bonus_cap: Decimal | None,
                      deduction_cap: Decimal | None) -> Scored:  # fmt: skip
    """Bonuses and deductions entered for the period, each side capped (None: no cap)."""
    b = min(bonus, bonus_cap) if bonus_cap is not None else bonus
    d = min(deduction, deduction_cap) if deduction_cap is not None else deduction
    text = f"+{fmt(b)} − {fmt(d)} = {fmt(b - d)}"
    caps = []
    if b != bonus:
        caps.append(_("bonuses %(x)s capped at %(c)s") % {"x": fmt(bonus), "c": fmt(bonus_cap)})
    if d != deduction:
        caps.append(_("deductions %(x)s capped at %(c)s") % {"x": fmt(deduction), "c": fmt(deduction_cap)})
    if caps:
        text += " (" + "; ".join(caps) + ")"
    return Scored(q2(b - d), text)


def fails_veto(value: float | None, threshold: float, higher_is_better: bool) -> bool:
    """A veto item is failed when the value falls below the threshold (rates, manual points) or rises above
    it (counts of warnings or orders)."""
    if value is None:
        return False
    return value < threshold if higher_is_better else value > threshold


def grade_for(total: Decimal, bands: list[tuple[float, str]], vetoed: bool) -> str:
    """The first band (highest first) whose lower bound the total reaches; a vetoed unit gets the lowest."""
    if not bands:
        return ""
    if vetoed:
        return bands[-1][1]
    for low, label in bands:
        if float(total) >= low:
            return label
    return bands[-1][1]


def rank(entries: list[tuple[int, Decimal, bool]]) -> dict[int, int]:
    """Competition ranking (1, 1, 3) within one group: by total, highest first, vetoed units after all others.
    entries: (unit_id, total, vetoed)."""
    ordered = sorted(entries, key=lambda e: (e[2], -e[1]))
    ranks: dict[int, int] = {}
    previous, previous_rank = None, 0
    for position, (unit_id, total, vetoed) in enumerate(ordered, start=1):
        key = (vetoed, total)
        if key != previous:
            previous, previous_rank = key, position
        ranks[unit_id] = previous_rank
    return ranks
