"""Helpers shared by the warning, reminder and tick tests (no tests here): a local clock and tasks made on a day."""

import datetime
import zoneinfo

import time_machine
from django.test import Client

from tuijin.conftest import PASSWORD
from tuijin.supervision.models import Warning
from tuijin.tasks import services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime.datetime:
    """A moment on a day in Zhengzhou's time zone, e.g. at("2026-03-02")."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI)


def on(day: str, hour: int = 10):
    """Travel to that day (tick=False: the clock stands still, so counts and dates are exact)."""
    return time_machine.travel(at(day, hour), tick=False)


def make_task(sup, plan, lead, support=(), *, limit="6月底前", day="2026-01-05", number="1", **fields):
    with on(day):
        return services.create_task(
            actor=sup, plan=plan, number=number, title=f"任务{number}", lead_units=list(lead),
            supporting_units=list(support), limit_text=limit, **fields,
        )  # fmt: skip


def refresh(day: str, hour: int = 10) -> None:
    with on(day, hour):
        services.refresh_all_statuses()


def open_warnings(task) -> dict[str, str]:
    """kind → level of the task's open warnings."""
    return dict(Warning.objects.filter(task=task, resolved_at__isnull=True).values_list("kind", "level"))


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client
