"""The arithmetic of scoring: methods, caps, vetoes, grades, ranks with ties, and period texts."""

import datetime
from decimal import Decimal

import pytest

from tuijin.assessment.periods import PeriodError, bounds, chinese_label, previous_period
from tuijin.assessment.registry import Measurement
from tuijin.assessment.services import scoring

BANDS = [(90.0, "优秀"), (80.0, "良好"), (60.0, "合格"), (0.0, "不合格")]


def test_it_ranks_ties_alike_and_skips_the_next_rank():
    ranks = scoring.rank([(1, Decimal("95"), False), (2, Decimal("100"), False), (3, Decimal("100"), False),
                          (4, Decimal("80"), False)])  # fmt: skip
    assert ranks == {2: 1, 3: 1, 1: 3, 4: 4}


def test_it_ranks_vetoed_units_after_all_others_whatever_their_score():
    ranks = scoring.rank([(1, Decimal("99"), True), (2, Decimal("70"), False), (3, Decimal("95"), True)])
    assert ranks == {2: 1, 1: 2, 3: 3}


def test_it_grades_by_the_bands_and_gives_a_vetoed_unit_the_lowest_grade():
    assert scoring.grade_for(Decimal("90"), BANDS, False) == "优秀"
    assert scoring.grade_for(Decimal("89.99"), BANDS, False) == "良好"
    assert scoring.grade_for(Decimal("-5"), BANDS, False) == "不合格"
    assert scoring.grade_for(Decimal("99"), BANDS, True) == "不合格"


def test_it_turns_a_rate_into_points_by_method():
    assert scoring.score_rate("weighted", Decimal(20), 0.75).points == Decimal("15.00")
    assert scoring.score_rate("base100", Decimal(20), 0.75).points == Decimal("-5.00")
    assert scoring.score_rate("base100", Decimal(20), 1.2).points == Decimal("0.00")
    assert "20 × 75.0% = 15.00" in scoring.score_rate("weighted", Decimal(20), 0.75).formula


def test_it_caps_deductions_at_the_indicators_points_extinguishing_them_in_the_weighted_method():
    assert scoring.score_points("base100", Decimal(10), -12.5, False).points == Decimal("-10.00")
    assert scoring.score_points("base100", Decimal(0), -12.5, False).points == Decimal("-12.50")
    assert scoring.score_points("weighted", Decimal(10), -3, False).points == Decimal("7.00")
    assert scoring.score_points("weighted", Decimal(10), -30, False).points == Decimal("0.00")
    assert scoring.score_points("base100", Decimal(5), 8, True).points == Decimal("5.00")


def test_it_normalises_against_the_best_unit_when_asked():
    scored = scoring.score_auto("weighted", Decimal(10), Measurement(value=3.0, formula=""), True, best=6.0)
    assert scored.points == Decimal("5.00")
    assert "3 / best 6" in scored.formula


def test_it_caps_bonuses_and_deductions_separately():
    scored = scoring.score_adjustments(Decimal(7), Decimal(2), Decimal(5), Decimal(10))
    assert scored.points == Decimal("3.00")
    assert "7.00" in scored.formula and "5.00" in scored.formula


def test_it_limits_manual_scores_to_the_indicators_points():
    assert scoring.score_manual("weighted", Decimal(10), Decimal(12)).points == Decimal("10.00")
    assert scoring.score_manual("weighted", Decimal(10), Decimal(-2)).points == Decimal("0.00")
    assert scoring.score_manual("base100", Decimal(10), Decimal(-4)).points == Decimal("-4.00")
    assert scoring.score_manual("base100", Decimal(10), None).points == Decimal("0.00")


def test_it_fails_a_veto_below_a_rate_threshold_or_above_a_count_threshold():
    assert scoring.fails_veto(0.5, 0.6, True)
    assert not scoring.fails_veto(0.6, 0.6, True)
    assert scoring.fails_veto(1, 0, False)
    assert not scoring.fails_veto(0, 0, False)


def test_it_reads_month_quarter_and_year_periods():
    assert bounds("month", "2026-02") == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert bounds("quarter", "2026-Q2") == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert bounds("year", "2026") == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    for kind, text in (("month", "2026-Q2"), ("month", "2026-13"), ("quarter", "2026-06"), ("year", "26")):
        with pytest.raises(PeriodError):
            bounds(kind, text)


def test_it_names_the_period_before_today_and_writes_it_in_chinese():
    assert previous_period("month", datetime.date(2026, 1, 5)) == "2025-12"
    assert previous_period("quarter", datetime.date(2026, 7, 10)) == "2026-Q2"
    assert previous_period("year", datetime.date(2026, 7, 10)) == "2025"
    assert chinese_label("2026-06") == "2026年6月"
    assert chinese_label("2026-Q2") == "2026年第二季度"
    assert chinese_label("2026") == "2026年度"
