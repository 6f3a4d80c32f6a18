"""Working-day clocks: across National Day 2021 and its make-up workdays, in working hours, across a year the
calendar package lacks once an admin has entered it, and provisional (Monday–Friday) until then."""

import datetime

from tuijin.core.models import CalendarDay, CalendarYear
from tuijin.servicedesk import clocks
from tuijin.servicedesk.models import Category, ClockUnit

from .conftest import at


def local(dt):
    from django.utils import timezone

    return timezone.localtime(dt)


def test_it_counts_five_working_days_across_national_day_2021(raise_for):
    # 10-1…10-7 are holidays; 10-8 (Fri) and the make-up Saturday 10-9 are working days: 10-8, 10-9, 10-11, 10-12, 10-13
    req = raise_for(at(2021, 9, 30, 10, 0))
    assert local(req.due).date() == datetime.date(2021, 10, 13)
    assert not req.clock_provisional


def test_it_counts_the_make_up_sunday_before_national_day(raise_for, one_day):
    # raised on Saturday 9-25 (a rest day): Sunday 9-26 was a make-up working day, so one working day ends on 9-26
    req = raise_for(at(2021, 9, 25, 16, 0), category=one_day)
    assert local(req.due).date() == datetime.date(2021, 9, 26)
    # acknowledgement in working days too: one working day
    assert local(req.ack_due).date() == datetime.date(2021, 9, 26)


def test_it_counts_acknowledgement_hours_inside_the_working_day(raise_for):
    # 4 working hours from 15:00 on 9-30: 2 hours that day (until 17:00), then 2 from 09:00 on 10-8
    req = raise_for(at(2021, 9, 30, 15, 0))
    assert local(req.ack_due) == at(2021, 10, 8, 11, 0)
    # raised in the evening of the make-up Saturday 10-9: counting starts on Monday 10-11 at 09:00
    late = raise_for(at(2021, 10, 9, 19, 30))
    assert local(late.ack_due) == at(2021, 10, 11, 13, 0)


def test_it_uses_an_admin_entered_year_the_package_lacks(raise_for, sup):
    # chinesecalendar stops at 2026. Without 2031, the clock is provisional (Monday–Friday)…
    first = raise_for(at(2031, 1, 29, 10, 0))
    assert first.clock_provisional
    assert local(first.due).date() == datetime.date(2031, 2, 5)  # Mon–Fri: 1-30, 1-31, 2-3, 2-4, 2-5
    # …once an admin has entered 2031 (Spring Festival 2-1…2-7 off, Sunday 1-26 and Saturday 2-8 worked):
    CalendarYear.objects.create(year=2031, entered_by=sup)
    for day in range(1, 8):
        CalendarDay.objects.create(date=datetime.date(2031, 2, day), is_workday=False, note="春节")
    CalendarDay.objects.create(date=datetime.date(2031, 2, 8), is_workday=True, note="春节调休")
    second = raise_for(at(2031, 1, 29, 10, 0), title="第二件")
    assert not second.clock_provisional
    # 1-30, 1-31, (2-1…2-7 off), 2-8 (make-up Saturday), 2-10, 2-11
    assert local(second.due).date() == datetime.date(2031, 2, 11)


def test_it_recomputes_provisional_clocks_once_the_year_is_entered(raise_for, sup):
    from tuijin.servicedesk.tick import refresh_provisional

    req = raise_for(at(2031, 1, 29, 10, 0))
    assert req.clock_provisional
    CalendarYear.objects.create(year=2031, entered_by=sup)
    for day in range(1, 8):
        CalendarDay.objects.create(date=datetime.date(2031, 2, day), is_workday=False, note="春节")
    assert refresh_provisional(at(2031, 1, 29, 12, 0)) == 1
    req.refresh_from_db()
    assert not req.clock_provisional
    assert local(req.due).date() == datetime.date(2031, 2, 12)  # 1-30, 1-31, 2-10, 2-11, 2-12


def test_it_extends_by_working_days_after_the_due_day(raise_for):
    req = raise_for(at(2021, 9, 30, 10, 0))
    new_due, provisional = clocks.extend(req.due, 3)
    assert local(new_due).date() == datetime.date(2021, 10, 18)  # 10-14, 10-15, 10-18
    assert not provisional


def test_it_keeps_category_clocks_configurable(unit_a):
    category = Category.objects.create(name="要素保障", ack_limit=2, ack_unit=ClockUnit.DAYS, close_days=10,
                                       default_unit=unit_a)  # fmt: skip
    clock = clocks.clock_for(category, started=at(2021, 9, 30, 10, 0))
    assert local(clock.ack_due).date() == datetime.date(2021, 10, 9)  # 10-8, 10-9 (make-up Saturday)
    assert local(clock.due).date() == datetime.date(2021, 10, 20)
