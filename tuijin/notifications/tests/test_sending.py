"""Immediate sends: the exact message formats of the group robots, email, failures recorded and retried."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import translation

from tuijin.notifications import services
from tuijin.notifications.models import Channel, Delivery

from .conftest import DINGTALK, WECOM, set_preference

NOW = datetime.datetime(2026, 6, 27, 9, 0, tzinfo=datetime.UTC)


def notify(user, key="remind:task:1", **extra):
    fields = {"kind": "reminder", "title": "任务1临近期限", "body": "还有3个工作日", "url": "/tasks/abc/"}
    return services.notify(user=user, key=key, **(fields | extra))


@pytest.mark.django_db
@override_settings(SITE_URL="https://tuijin.example.gov.cn")
def test_it_sends_the_wecom_robot_its_markdown_message(alice, robot, django_capture_on_commit_callbacks):
    set_preference(alice, wecom_webhook=WECOM)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    assert robot.calls == [
        (
            WECOM,
            {
                "msgtype": "markdown",
                "markdown": {
                    "content": "### 任务1临近期限\n\n还有3个工作日\n\n[Open in Tuijin](https://tuijin.example.gov.cn/tasks/abc/)"
                },
            },
        )
    ]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == (Delivery.State.SENT, 1, "")
    assert delivery.sent_at is not None


@pytest.mark.django_db
@override_settings(SITE_URL="https://tuijin.example.gov.cn/")
def test_it_sends_the_dingtalk_robot_its_markdown_message(alice, robot, django_capture_on_commit_callbacks):
    set_preference(alice, dingtalk_webhook=DINGTALK)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(alice, level="red")
    assert robot.calls == [
        (
            DINGTALK,
            {
                "msgtype": "markdown",
                "markdown": {
                    "title": "任务1临近期限",
                    "text": "### 任务1临近期限\n\n**Red warning**\n\n还有3个工作日\n\n"
                    "[Open in Tuijin](https://tuijin.example.gov.cn/tasks/abc/)",
                },
            },
        )
    ]


@pytest.mark.django_db
def test_it_sends_email_to_the_preferred_address(alice, robot, django_capture_on_commit_callbacks):
    alice.email = "alice@example.org"
    alice.save()
    set_preference(alice, email=True, email_address="zhang@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    assert [(m.subject, m.to) for m in mail.outbox] == [("任务1临近期限", ["zhang@example.gov.cn"])]
    assert "还有3个工作日" in mail.outbox[0].body
    assert "/tasks/abc/" in mail.outbox[0].body
    assert robot.calls == []


@pytest.mark.django_db
def test_it_sends_nothing_until_the_transaction_commits(alice, robot):
    set_preference(alice, wecom_webhook=WECOM)
    notify(alice)  # the test's transaction never commits: a rolled-back write sends nothing
    assert robot.calls == []
    assert Delivery.objects.get().state == Delivery.State.PENDING


@pytest.mark.django_db
def test_it_records_a_failure_and_retries_it_up_to_three_times(
    alice, robot, django_capture_on_commit_callbacks
):
    set_preference(alice, wecom_webhook=WECOM)
    robot.failure = "qyapi.weixin.qq.com refused the message: error 93000 invalid webhook url"
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, 1)
    assert "93000" in delivery.error
    assert services.send_pending(now=NOW) == 0
    assert services.send_pending(now=NOW) == 0
    assert services.send_pending(now=NOW) == 0  # the third attempt was the last
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, 3)
    assert len(robot.calls) == 3


@pytest.mark.django_db
def test_it_sends_a_failed_delivery_when_the_robot_recovers(alice, robot, django_capture_on_commit_callbacks):
    set_preference(alice, wecom_webhook=WECOM)
    robot.failure = "timeout"
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    robot.failure = ""
    assert services.send_pending(now=NOW) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == (Delivery.State.SENT, 2, "")
    assert services.send_pending(now=NOW) == 0
    assert len(robot.calls) == 2


@pytest.mark.django_db
def test_it_never_raises_out_of_sending(alice, robot, monkeypatch, django_capture_on_commit_callbacks):
    set_preference(alice, email=True, email_address="a@example.org")

    def broken_mail(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(services, "send_mail", broken_mail)
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.FAILED
    assert "SMTP server down" in delivery.error
    monkeypatch.setattr(Delivery.objects, "filter", lambda *a, **k: 1 / 0)
    assert services.send_pending(now=NOW) == 0


@pytest.mark.django_db
def test_it_does_not_send_a_delivery_another_sender_has_claimed(alice, robot):
    set_preference(alice, wecom_webhook=WECOM)
    notify(alice)
    Delivery.objects.update(state=Delivery.State.SENDING, attempts=1, last_attempt_at=NOW)
    assert services.send_pending(now=NOW + datetime.timedelta(minutes=1)) == 0
    assert robot.calls == []
    # A claim abandoned by a crashed sender is taken up again after a while.
    assert services.send_pending(now=NOW + datetime.timedelta(minutes=30)) == 1
    assert len(robot.calls) == 1


@pytest.mark.django_db
def test_it_leaves_digest_users_deliveries_for_the_digest(alice, robot):
    set_preference(alice, wecom_webhook=WECOM, mode="digest")
    notify(alice)
    assert services.send_pending(now=NOW) == 0
    assert robot.calls == []


@pytest.mark.django_db
def test_it_dates_notices_on_the_moved_clock(alice):
    with time_machine.travel(NOW, tick=False):
        notice = notify(alice, key="a")
    assert notice.created_at == NOW
    later = NOW + datetime.timedelta(days=3)
    assert notify(alice, key="b", now=later).created_at == later


@pytest.mark.django_db
def test_it_refuses_to_send_to_a_robot_address_edited_to_another_host(alice, robot):
    set_preference(alice, wecom_webhook="https://evil.example.com/hook?key=1")
    notify(alice)
    services.send_pending(now=NOW)
    assert robot.calls == []
    assert "qyapi.weixin.qq.com" in Delivery.objects.get(channel=Channel.WECOM).error
