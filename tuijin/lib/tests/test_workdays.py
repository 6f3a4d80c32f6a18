import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.lib.workdays import CalendarMissing, WorkdayCalendar


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


@pytest.fixture
def cal():
    return WorkdayCalendar()


def test_it_counts_a_make_up_sunday_as_a_workday(cal):
    assert d(2021, 2, 7).weekday() == 6
    assert cal.is_workday(d(2021, 2, 7))


def test_it_counts_national_day_as_a_holiday(cal):
    assert not cal.is_workday(d(2021, 10, 1))


def test_it_counts_ordinary_weekdays_and_weekends(cal):
    assert cal.is_workday(d(2021, 3, 3))
    assert not cal.is_workday(d(2021, 3, 6))


def test_it_lets_overrides_win_over_the_official_calendar():
    cal = WorkdayCalendar({d(2021, 10, 1): True, d(2021, 3, 3): False})
    assert cal.is_workday(d(2021, 10, 1))
    assert not cal.is_workday(d(2021, 3, 3))


def test_it_raises_calendar_missing_for_a_year_nobody_entered(cal):
    with pytest.raises(CalendarMissing) as raised:
        cal.is_workday(d(2027, 3, 3))
    assert raised.value.year == 2027
    assert "2027年" in str(raised.value)
    assert not cal.has_year(2027)


def test_it_raises_calendar_missing_before_the_official_calendar_begins(cal):
    with pytest.raises(CalendarMissing):
        cal.is_workday(d(2003, 3, 3))


def test_it_answers_a_single_overridden_day_of_an_uncovered_year():
    cal = WorkdayCalendar({d(2027, 1, 1): False})
    assert not cal.is_workday(d(2027, 1, 1))
    with pytest.raises(CalendarMissing):
        cal.is_workday(d(2027, 1, 4))


def test_it_uses_the_weekday_rule_for_a_covered_year_with_its_holidays():
    cal = WorkdayCalendar({d(2027, 1, 1): False, d(2027, 2, 20): True}, covered_years=[2027])
    assert cal.has_year(2027)
    assert not cal.is_workday(d(2027, 1, 1))  # Friday, entered as holiday
    assert cal.is_workday(d(2027, 1, 4))  # Monday
    assert not cal.is_workday(d(2027, 1, 9))  # Saturday
    assert cal.is_workday(d(2027, 2, 20))  # Saturday, entered as make-up workday


def test_it_knows_which_years_it_has(cal):
    assert cal.has_year(2021)
    assert cal.has_year(2026)
    assert not cal.has_year(2027)


def test_it_adds_working_days_across_the_spring_festival(cal):
    # 2021: holiday 11–17 February, make-up workdays Sunday 7 and Saturday 20 February.
    assert cal.add_workdays(d(2021, 2, 10), 1) == d(2021, 2, 18)
    assert cal.add_workdays(d(2021, 2, 5), 1) == d(2021, 2, 7)
    assert cal.add_workdays(d(2021, 2, 10), 3) == d(2021, 2, 20)


def test_it_adds_zero_working_days_as_the_day_itself_or_the_next_working_day(cal):
    assert cal.add_workdays(d(2021, 2, 10), 0) == d(2021, 2, 10)
    assert cal.add_workdays(d(2021, 2, 11), 0) == d(2021, 2, 18)


def test_it_counts_backwards_for_a_negative_number(cal):
    assert cal.add_workdays(d(2021, 2, 18), -1) == d(2021, 2, 10)


def test_it_counts_working_days_between_two_dates(cal):
    assert cal.workdays_between(d(2021, 2, 10), d(2021, 2, 18)) == 1
    assert cal.workdays_between(d(2021, 2, 18), d(2021, 2, 10)) == -1
    assert cal.workdays_between(d(2021, 3, 1), d(2021, 3, 1)) == 0
    assert cal.workdays_between(d(2021, 9, 30), d(2021, 10, 9)) == 2  # 8 Oct, and Saturday 9 Oct (调休)
    assert cal.workdays_between(d(2020, 12, 31), d(2021, 12, 31)) == 250


def test_it_counts_a_whole_year_quickly(cal):
    import time

    started = time.perf_counter()
    for _ in range(2000):
        cal.workdays_between(d(2021, 1, 1), d(2023, 12, 31))
    assert time.perf_counter() - started < 1


def test_it_raises_calendar_missing_when_counting_into_an_uncovered_year(cal):
    with pytest.raises(CalendarMissing):
        cal.workdays_between(d(2026, 12, 1), d(2027, 1, 10))


def test_it_counts_into_an_admin_entered_year():
    cal = WorkdayCalendar({d(2027, 1, 1): False}, covered_years=[2027])
    assert cal.workdays_between(d(2026, 12, 31), d(2027, 1, 8)) == 5


DAYS = st.dates(min_value=d(2019, 1, 1), max_value=d(2023, 12, 31))


@given(DAYS, st.integers(0, 40))
def test_it_lands_on_a_working_day_n_working_days_later(day, n):
    cal = WorkdayCalendar()
    later = cal.add_workdays(day, n)
    assert cal.is_workday(later)
    if n:
        assert cal.workdays_between(day, later) == n


@given(DAYS, DAYS)
def test_it_counts_the_same_as_walking_day_by_day(start, end):
    cal = WorkdayCalendar()
    low, high = sorted([start, end])
    walked = sum(cal.is_workday(low + datetime.timedelta(days=i + 1)) for i in range((high - low).days))
    assert cal.workdays_between(start, end) == (walked if end >= start else -walked)
