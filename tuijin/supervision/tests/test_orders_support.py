"""Helpers shared by the order tests (no tests here): a local clock and an order issued by the supervisor."""

import datetime
import zoneinfo

from django.test import Client

from tuijin.conftest import PASSWORD
from tuijin.supervision import orders

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 9) -> datetime.datetime:
    """A moment on a day in Zhengzhou's time zone, e.g. at("2026-03-02")."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI)


def issue(sup, task, level="blue", day="2026-03-02", **kwargs):
    kwargs.setdefault("requirement", "请于规定时限内报送推进情况和下一步措施")
    return orders.issue_order(actor=sup, task=task, level=level, now=at(day), **kwargs)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client
