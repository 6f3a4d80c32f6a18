"""Helpers for the notification tests: a fake group robot in place of the network, and saved preferences."""

import pytest

from tuijin.core import outbound
from tuijin.notifications.models import Preference

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-1234"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=ding-token-5678"


class FakeRobot:
    """Stands in for `outbound.post_json`: records every message; fails with `failure` while it is set."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.failure = ""

    def __call__(self, url, payload, *, timeout=5.0):
        self.calls.append((url, payload))
        if self.failure:
            raise outbound.OutboundError(self.failure)
        return {"errcode": 0, "errmsg": "ok"}

    def texts(self) -> list[str]:
        return [p["markdown"].get("content") or p["markdown"].get("text") for _url, p in self.calls]


@pytest.fixture
def robot(monkeypatch):
    fake = FakeRobot()
    monkeypatch.setattr(outbound, "post_json", fake)
    return fake


def set_preference(user, **fields) -> Preference:
    pref, _created = Preference.objects.update_or_create(user=user, defaults=fields)
    user.notification_preference = pref
    return pref
