"""Assessment periods written as text: a month "2026-06", a quarter "2026-Q2", a year "2026"."""

import calendar
import datetime
import re

from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodError(ValueError):
    """The period text does not fit the scheme's period kind; the message says why, for the user."""


def bounds(kind: str, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the period; raises PeriodError when the text does not match the kind."""
    pattern = {"month": MONTH, "quarter": QUARTER, "year": YEAR}[kind]
    match = pattern.match(period or "")
    if not match:
        examples = {"month": "2026-06", "quarter": "2026-Q2", "year": "2026"}
        raise PeriodError(_("Write the period like %(example)s.") % {"example": examples[kind]})
    year = int(match.group(1))
    if kind == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == "quarter":
        first = (int(match.group(2)) - 1) * 3 + 1
        last = first + 2
    else:
        first = last = int(match.group(2))
        if not 1 <= first <= 12:
            raise PeriodError(_("There is no month %(month)s.") % {"month": first})
    return datetime.date(year, first, 1), datetime.date(year, last, calendar.monthrange(year, last)[1])


def period_of(kind: str, day: datetime.date) -> str:
    if kind == "year":
        return str(day.year)
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def previous_period(kind: str, day: datetime.date) -> str:
    """The last complete period before the one containing `day` (what a round is usually computed for)."""
    start, _end = bounds(kind, period_of(kind, day))
    return period_of(kind, start - datetime.timedelta(days=1))


def chinese_label(period: str) -> str:
    """2026年6月 / 2026年第二季度 / 2026年度 — as written in a circular."""
    if match := MONTH.match(period):
        return f"{match.group(1)}年{int(match.group(2))}月"
    if match := QUARTER.match(period):
        return f"{match.group(1)}年第{QUARTER_NAMES[int(match.group(2))]}季度"
    return f"{period}年度"
