"""The working-day calendar in force: chinesecalendar, overridden and extended by what admins entered."""

import datetime

from django.utils import timezone

from tuijin.lib.workdays import WorkdayCalendar

from .models import CalendarDay, CalendarYear

_cache: dict = {"stamp": None, "calendar": None}


def _stamp() -> tuple:
    # One cheap query tells whether admins changed anything since the calendar was built (several processes).
    days = CalendarDay.objects.order_by("-id").values_list("id", flat=True).first()
    return (days, CalendarDay.objects.count(), tuple(CalendarYear.objects.values_list("year", flat=True)))


def get_calendar() -> WorkdayCalendar:
    stamp = _stamp()
    if _cache["stamp"] != stamp:
        overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        _cache["calendar"] = WorkdayCalendar(overrides=overrides, covered_years=stamp[2])
        _cache["stamp"] = stamp
    return _cache["calendar"]


def missing_next_year(today: datetime.date | None = None) -> int | None:
    """After 1 December, the next year if neither chinesecalendar nor admins cover it."""
    today = today or timezone.localdate()
    if today.month != 12:
        return None
    nxt = today.year + 1
    return None if get_calendar().has_year(nxt) else nxt
