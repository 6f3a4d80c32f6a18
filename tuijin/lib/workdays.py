"""Working-day calendar: the official calendar (with 调休 make-up workdays) plus days entered by an admin.

``chinesecalendar`` covers 2004–2026 and raises ``NotImplementedError`` outside that range, so years after
2026 must be entered by an admin: ``overrides`` holds single days (True = working day, False = holiday) and
``covered_years`` lists the years entered completely, for which any day without an override follows the
plain rule (Monday–Friday working, weekend rest). A year that neither source covers raises
``CalendarMissing`` instead of guessing.

Answers are cached per day and per year (cumulative counts), so bulk use — warnings for every task, every
night — stays cheap.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping

import chinese_calendar

__all__ = ["CalendarMissing", "WorkdayCalendar"]


class CalendarMissing(Exception):
    """The calendar of a year is unknown: neither chinesecalendar nor the admin-entered days cover it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"缺少{year}年的工作日历（法定节假日和调休安排），请管理员录入{year}年的日历后再试")


class WorkdayCalendar:
    def __init__(
        self,
        overrides: Mapping[datetime.date, bool] | None = None,
        covered_years: Iterable[int] = (),
    ):
        """overrides: date -> True (working day, e.g. 调休 make-up workday) / False (holiday).
        covered_years: years an admin has entered completely; for these, days without an override are
        weekday = working, weekend = rest."""
        self._overrides = dict(overrides or {})
        self._covered_years = frozenset(covered_years)
        self._days: dict[datetime.date, bool] = {}
        self._cumulative: dict[int, list[int]] = {}  # year -> workdays in [Jan 1, day] by day of year

    def has_year(self, year: int) -> bool:
        """True when every day of ``year`` can be answered (admin-entered or known to chinesecalendar)."""
        if year in self._covered_years:
            return True
        try:
            chinese_calendar.is_workday(datetime.date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, d: datetime.date) -> bool:
        if isinstance(d, datetime.datetime):
            d = d.date()
        answer = self._days.get(d)
        if answer is None:
            answer = self._compute(d)
            self._days[d] = answer
        return answer

    def _compute(self, d: datetime.date) -> bool:
        if d in self._overrides:
            return bool(self._overrides[d])
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            if d.year in self._covered_years:
                return d.weekday() < 5
            raise CalendarMissing(d.year) from None

    def add_workdays(self, d: datetime.date, n: int) -> datetime.date:
        """The n-th working day after ``d``; n == 0 gives ``d`` itself if it is a working day, else the next
        working day. A negative n counts backwards (the |n|-th working day before ``d``)."""
        one = datetime.timedelta(days=1)
        if n == 0:
            while not self.is_workday(d):
                d += one
            return d
        step = one if n > 0 else -one
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]; negative (minus the working days in (end, start]) if end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        total = self._through(end) - self._through(start)
        for year in range(start.year, end.year):
            total += self._year_counts(year)[-1]
        return total

    def _through(self, d: datetime.date) -> int:
        """Working days from 1 January of d's year up to and including d."""
        return self._year_counts(d.year)[d.timetuple().tm_yday - 1]

    def _year_counts(self, year: int) -> list[int]:
        counts = self._cumulative.get(year)
        if counts is None:
            counts, running = [], 0
            first = datetime.date(year, 1, 1)
            for offset in range(366 if calendar.isleap(year) else 365):
                running += self.is_workday(first + datetime.timedelta(days=offset))
                counts.append(running)
            self._cumulative[year] = counts
        return counts
