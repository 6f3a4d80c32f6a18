"""The clocks of a request, in working days and working hours of the official calendar in force
(`tuijin.core.calendar.get_calendar()`: chinesecalendar plus what admins entered, 调休 make-up days included).

- N working days: the reply is due by the end of the N-th working day after the day the clock starts (a request
  raised on 2021-09-30 with 5 working days is due on 2021-10-13: 10-1…10-7 are National Day, 10-8 and the make-up
  Saturday 10-9 are working days).
- N working hours: counted inside the policy's working day (09:00–17:00 by default) on working days only; a
  request raised in the evening or on a holiday starts counting at the next working morning.

When a year is in neither chinesecalendar nor the admin-entered calendar, the clock is computed Monday–Friday and
marked provisional; `refresh_provisional` (run by the tick) computes it again once an admin has entered the year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tuijin.core.calendar import get_calendar
from tuijin.core.models import CalendarDay
from tuijin.lib.workdays import CalendarMissing, WorkdayCalendar

from .models import Category, ClockUnit, Policy

END_OF_DAY = datetime.time(23, 59, 59)


@dataclass
class Clock:
    ack_due: datetime.datetime
    due: datetime.datetime
    provisional: bool = False


def _aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _weekday_calendar() -> WorkdayCalendar:
    """Admin entries and chinesecalendar where they answer; Monday–Friday for years neither covers."""
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    return WorkdayCalendar(overrides=overrides, covered_years=range(1990, 2200))


def end_of_workdays(calendar: WorkdayCalendar, start: datetime.datetime, days: int) -> datetime.datetime:
    """The end of the `days`-th working day after the local day of `start`."""
    day = timezone.localtime(start).date()
    return _aware(calendar.add_workdays(day, days), END_OF_DAY)


def add_work_hours(
    calendar: WorkdayCalendar, start: datetime.datetime, hours: int, day_start: datetime.time,
    day_end: datetime.time,
) -> datetime.datetime:  # fmt: skip
    """`start` plus `hours` of working time (working days, between day_start and day_end)."""
    t = timezone.localtime(start)
    remaining = datetime.timedelta(hours=hours)
    for _guard in range(3660):  # ten years of days: a calendar without working days must not loop for ever
        day = t.date()
        if calendar.is_workday(day):
            opens, closes = _aware(day, day_start), _aware(day, day_end)
            t = max(t, opens)
            if t < closes:
                if remaining <= closes - t:
                    return t + remaining
                remaining -= closes - t
        t = _aware(day + datetime.timedelta(days=1), day_start)
    raise ValueError("no working time found")


def _after(calendar, policy, start, limit: int, unit: str) -> datetime.datetime:
    if unit == ClockUnit.HOURS:
        return add_work_hours(calendar, start, limit, policy.day_start, policy.day_end)
    return end_of_workdays(calendar, start, limit)


def _with_fallback(compute):
    try:
        return compute(get_calendar()), False
    except CalendarMissing:
        return compute(_weekday_calendar()), True


def clock_for(category: Category, *, started: datetime.datetime, ack_from: datetime.datetime | None = None,
              policy: Policy | None = None) -> Clock:  # fmt: skip
    """The acknowledgement and reply clocks of a request of `category` whose clock starts at `started` (the
    acknowledgement clock at `ack_from`, e.g. a transfer)."""
    policy = policy or Policy.current()

    def compute(calendar):
        ack = _after(calendar, policy, ack_from or started, category.ack_limit, category.ack_unit)
        due = end_of_workdays(calendar, started, category.close_days)
        return ack, due

    (ack, due), provisional = _with_fallback(compute)
    return Clock(ack_due=ack, due=due, provisional=provisional)


def ack_clock(category: Category, *, ack_from: datetime.datetime, policy: Policy | None = None):
    """(acknowledge-by, provisional) for an acknowledgement clock starting at `ack_from`."""
    policy = policy or Policy.current()
    return _with_fallback(lambda cal: _after(cal, policy, ack_from, category.ack_limit, category.ack_unit))


def extend(due: datetime.datetime, days: int):
    """(new due, provisional): `days` more working days after the day of `due`."""
    return _with_fallback(lambda cal: end_of_workdays(cal, due, days))


def workdays_left(due: datetime.datetime, now: datetime.datetime | None = None) -> int | None:
    """Working days from today to the due day (negative when past); None when the calendar lacks a year."""
    today = timezone.localdate(now or timezone.now())
    try:
        return get_calendar().workdays_between(today, timezone.localtime(due).date())
    except CalendarMissing:
        return None
