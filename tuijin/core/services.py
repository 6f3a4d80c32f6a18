"""Writes to the platform records, each audited."""

import datetime

from django.db import transaction

from .audit import record, snapshot
from .models import CalendarDay, CalendarYear


@transaction.atomic
def set_calendar_day(*, actor, date: datetime.date, is_workday: bool, note: str = "") -> CalendarDay:
    day = CalendarDay.objects.filter(date=date).first()
    before = snapshot(day) if day else None
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "note": note}
    )
    record(actor=actor, action="calendar.set_day", obj=day, before=before, after=snapshot(day))
    return day


@transaction.atomic
def delete_calendar_day(*, actor, day_id: int) -> None:
    day = CalendarDay.objects.get(pk=day_id)
    record(actor=actor, action="calendar.delete_day", obj=day, before=snapshot(day))
    day.delete()


@transaction.atomic
def mark_year_complete(*, actor, year: int) -> CalendarYear:
    entry, _created = CalendarYear.objects.update_or_create(year=year, defaults={"entered_by": actor})
    record(actor=actor, action="calendar.year_complete", obj=entry, after={"year": year})
    return entry
