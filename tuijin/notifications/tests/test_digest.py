"""Digest users get one message a day per channel, from their digest hour on, holding all their notices."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tuijin.notifications import services
from tuijin.notifications.models import Delivery, Preference

from .conftest import DINGTALK, WECOM, set_preference

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 6, day, hour, minute, tzinfo=SHANGHAI)


def notify(user, n: int, now):
    return services.notify(user=user, key=f"remind:{n}", kind="reminder", title=f"任务{n}临近期限", now=now)


@pytest.fixture
def digest_alice(alice):
    alice.email = "alice@example.org"
    alice.save()
    set_preference(alice, mode="digest", digest_hour=8, email=True, wecom_webhook=WECOM)
    return alice


@pytest.mark.django_db
def test_it_sends_one_message_per_channel_with_all_notices_once_a_day(digest_alice, robot):
    for n in (1, 2, 3):
        notify(digest_alice, n, at(26, 18))
    assert services.send_pending(now=at(26, 18)) == 0
    assert services.send_digests(now=at(27, 7, 59)) == 0  # before the digest hour
    assert robot.calls == [] and mail.outbox == []

    assert services.send_digests(now=at(27, 8, 5)) == 2
    assert len(robot.calls) == 1
    (url, payload), text = robot.calls[0], robot.texts()[0]
    assert url == WECOM and payload["msgtype"] == "markdown" and set(payload["markdown"]) == {"content"}
    assert all(f"任务{n}临近期限" in text for n in (1, 2, 3))
    assert len(mail.outbox) == 1
    assert all(f"任务{n}临近期限" in mail.outbox[0].body for n in (1, 2, 3))
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}

    assert services.send_digests(now=at(27, 8, 10)) == 0  # called twice the same day
    assert services.send_digests(now=at(27, 23)) == 0
    assert len(robot.calls) == 1 and len(mail.outbox) == 1
    assert Preference.objects.get(user=digest_alice).last_digest_on == datetime.date(2026, 6, 27)


@pytest.mark.django_db
def test_it_keeps_a_notice_after_todays_digest_for_tomorrows(digest_alice, robot):
    notify(digest_alice, 1, at(27, 7))
    services.send_digests(now=at(27, 8))
    notify(digest_alice, 2, at(27, 10))
    assert services.send_digests(now=at(27, 11)) == 0
    assert services.send_digests(now=at(28, 8, 1)) == 2
    assert len(robot.calls) == 2
    assert "任务2临近期限" in robot.texts()[1] and "任务1临近期限" not in robot.texts()[1]


@pytest.mark.django_db
def test_it_sends_the_dingtalk_digest_with_a_title(alice, robot):
    set_preference(alice, mode="digest", digest_hour=0, dingtalk_webhook=DINGTALK)
    notify(alice, 1, at(27, 0))
    services.send_digests(now=at(27, 0, 30))
    ((url, payload),) = robot.calls
    assert url == DINGTALK
    assert set(payload["markdown"]) == {"title", "text"}
    assert "2026-06-27" in payload["markdown"]["title"]
    assert payload["markdown"]["text"].startswith("### ")


@pytest.mark.django_db
def test_it_retries_a_failed_digest_with_the_next_one(digest_alice, robot):
    set_preference(digest_alice, email=False)
    notify(digest_alice, 1, at(27, 7))
    robot.failure = "connection reset"
    assert services.send_digests(now=at(27, 8)) == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == (
        Delivery.State.FAILED,
        1,
        "connection reset",
    )
    robot.failure = ""
    assert services.send_digests(now=at(28, 8)) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)


@pytest.mark.django_db
def test_it_keeps_a_long_digest_within_the_robots_limit(digest_alice, robot):
    for n in range(200):
        notify(digest_alice, n, at(27, 7))
    services.send_digests(now=at(27, 8))
    text = robot.texts()[0]
    assert len(text.encode("utf-8")) <= services.ROBOT_MAX_BYTES
    assert "任务0临近期限" in text and "任务199临近期限" not in text
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 400  # all 200 notices, both channels


@pytest.mark.django_db
def test_it_ignores_immediate_users_in_the_digest(alice, robot):
    set_preference(alice, wecom_webhook=WECOM)
    notify(alice, 1, at(27, 7))
    assert services.send_digests(now=at(27, 9)) == 0
    assert robot.calls == []
