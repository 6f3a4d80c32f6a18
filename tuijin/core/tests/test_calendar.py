"""Admins keep the working-day calendar: overrides, years chinesecalendar lacks, and the December warning."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.calendar import get_calendar
from tuijin.core.models import AuditEvent, CalendarDay, CalendarYear


@pytest.mark.django_db
def test_it_warns_admins_after_the_first_of_december_when_next_year_is_missing(client, sup):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10), tick=False):
        client.login(username="sup", password=PASSWORD)
        assert b"calendar-missing" not in client.get(reverse("home")).content
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10), tick=False):
        client.login(username="sup", password=PASSWORD)
        assert b"calendar-missing" in client.get(reverse("home")).content
        CalendarYear.objects.create(year=2027)
        assert b"calendar-missing" not in client.get(reverse("home")).content


@pytest.mark.django_db
def test_it_does_not_show_the_calendar_warning_to_unit_users(client, alice):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10), tick=False):
        client.login(username="alice", password=PASSWORD)
        assert b"calendar-missing" not in client.get(reverse("home")).content


@pytest.mark.django_db
def test_it_lets_an_admin_enter_next_years_holidays(client, sysadmin):
    client.login(username="sysadmin", password=PASSWORD)
    response = client.post(reverse("calendar"), {"date": "2027-01-01", "is_workday": "0", "note": "元旦"})
    assert response.status_code == 302
    client.post(reverse("calendar"), {"action": "complete", "year": "2027"})
    calendar = get_calendar()
    assert calendar.has_year(2027)
    assert not calendar.is_workday(datetime.date(2027, 1, 1))
    assert calendar.is_workday(datetime.date(2027, 1, 4))
    assert AuditEvent.objects.filter(action="calendar.set_day").exists()


@pytest.mark.django_db
def test_it_lets_an_override_win_over_chinesecalendar(sysadmin):
    CalendarDay.objects.create(date=datetime.date(2026, 6, 1), is_workday=False, note="特殊休假")
    assert not get_calendar().is_workday(datetime.date(2026, 6, 1))


@pytest.mark.django_db
def test_it_keeps_the_calendar_page_from_unit_users(client, alice):
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("calendar")).status_code == 403
    assert client.post(reverse("calendar"), {"date": "2027-01-01", "is_workday": "0"}).status_code == 403
    assert not CalendarDay.objects.exists()
